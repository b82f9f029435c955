namespace Edge.Evaluation;

/// <summary>The rows of one MOTChallenge text file with the number of comma-separated columns it uses, which tells
/// the 2D MOT 2015 ground-truth form (10 columns, class -1) from the MOT17/MOT20 one (9 columns with classes).</summary>
/// <param name="Source">File path or other name used in error messages.</param>
/// <param name="Rows">Rows in file order.</param>
/// <param name="ColumnCount">Smallest column count over all rows (0 for an empty file).</param>
public sealed record MotFile(string Source, IReadOnlyList<MotRecord> Rows, int ColumnCount)
{
    /// <summary>Largest frame number in the file, 0 when empty.</summary>
    public int MaxFrame
    {
        get
        {
            int max = 0;
            foreach (var row in Rows)
            {
                max = Math.Max(max, row.Frame);
            }
            return max;
        }
    }

    /// <summary>True when the file is MOT17/MOT20 ground truth: 9 columns and real classes (MOT 2015 files carry
    /// 10 columns with class -1).</summary>
    public bool HasClasses => ColumnCount == 9 && Rows.Count > 0 && Rows.All(r => r.ClassId >= 1);
}
