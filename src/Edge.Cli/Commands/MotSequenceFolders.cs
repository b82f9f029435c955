namespace Edge.Cli.Commands;

/// <summary>The MOTChallenge sequence folders a <c>--gt</c> option names: the folder itself when it holds
/// <c>gt/gt.txt</c>, else its sub-folders that do, sorted.</summary>
internal static class MotSequenceFolders
{
    public static List<string> Find(DirectoryInfo root, string option)
    {
        if (!root.Exists)
        {
            throw new EdgeException($"{option}: folder not found: {root.FullName}");
        }
        if (File.Exists(Path.Combine(root.FullName, "gt", "gt.txt")))
        {
            return [root.FullName];
        }
        var found = root.GetDirectories().Where(d => File.Exists(Path.Combine(d.FullName, "gt", "gt.txt")))
            .Select(d => d.FullName).Order(StringComparer.Ordinal).ToList();
        return found.Count > 0 ? found : throw new EdgeException($"{option}: no <sequence>/gt/gt.txt under {root.FullName}");
    }
}
