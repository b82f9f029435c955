using System.Buffers.Binary;
using System.Text;

namespace Edge.Training.Native;

/// <summary>What <see cref="ElfVersionPatcher.Relax"/> changed in a library (empty lists: nothing to do).</summary>
public sealed record ElfPatchResult(IReadOnlyList<string> WeakenedVersions, IReadOnlyList<string> ClearedSymbols)
{
    public bool Changed => WeakenedVersions.Count > 0 || ClearedSymbols.Count > 0;
}

/// <summary>
/// A minimal ELF64 little-endian editor for symbol versioning (System V gABI, "Symbol Versioning" in the LSB spec).
/// It relaxes version requirements a host cannot satisfy: the Vernaux entry gets VER_FLG_WEAK (0x2), so glibc's
/// loader only warns instead of refusing the library, and every undefined symbol bound to that version gets
/// .gnu.version index 1 (global, unversioned), which is what <c>patchelf --clear-symbol-version</c> does.
/// Only the two version sections are rewritten in place; no offsets or sizes change.
/// </summary>
public static class ElfVersionPatcher
{
    private const uint ShtDynsym = 11;
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>Version names a library defines in .gnu.version_d (e.g. GLIBCXX_3.4.30 for GCC 12's libstdc++).</summary>
    public static IReadOnlySet<string> DefinedVersions(string libraryPath)
    {
        var elf = new Elf(File.ReadAllBytes(libraryPath), libraryPath);
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (elf.FindSection(ShtGnuVerdef) is not { } verdef)
        {
            return names;
        }
        var strtab = elf.Section(verdef.Link);
        long off = verdef.Offset;
        for (int i = 0; i < verdef.Info; i++)
        {
            // Elf64_Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32, vd_aux u32, vd_next u32.
            uint aux = elf.U32(off + 12);
            uint next = elf.U32(off + 16);
            // Elf64_Verdaux: vda_name u32, vda_next u32; the first one names the version itself.
            names.Add(elf.String(strtab, elf.U32(off + aux)));
            if (next == 0)
            {
                break;
            }
            off += next;
        }
        return names;
    }

    /// <summary>
    /// Weakens every version that <paramref name="libraryPath"/> requires from <paramref name="neededFile"/>
    /// (e.g. "libstdc++.so.6") but which <paramref name="isAvailable"/> says the host lacks, and unversions the
    /// undefined symbols bound to it. Rewrites the file (atomically) only when something changed, so it is idempotent.
    /// </summary>
    public static ElfPatchResult Relax(string libraryPath, string neededFile, Func<string, bool> isAvailable)
    {
        byte[] bytes = File.ReadAllBytes(libraryPath);
        var elf = new Elf(bytes, libraryPath);
        var verneed = elf.FindSection(ShtGnuVerneed) ?? throw new EdgeException($"{libraryPath}: no .gnu.version_r section");
        var versym = elf.FindSection(ShtGnuVersym) ?? throw new EdgeException($"{libraryPath}: no .gnu.version section");
        var dynsym = elf.FindSection(ShtDynsym) ?? throw new EdgeException($"{libraryPath}: no .dynsym section");
        var strtab = elf.Section(verneed.Link);
        var dynstr = elf.Section(dynsym.Link);

        var weakened = new List<string>();
        var missingIndices = new Dictionary<ushort, string>();
        long need = verneed.Offset;
        for (int i = 0; i < verneed.Info; i++)
        {
            // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
            ushort count = elf.U16(need + 2);
            string file = elf.String(strtab, elf.U32(need + 4));
            long aux = need + elf.U32(need + 8);
            for (int a = 0; a < count; a++)
            {
                // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                ushort flags = elf.U16(aux + 4);
                ushort index = elf.U16(aux + 6);
                string name = elf.String(strtab, elf.U32(aux + 8));
                if (file == neededFile && !isAvailable(name))
                {
                    missingIndices[index] = name;
                    if ((flags & VerFlgWeak) == 0)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((int)(aux + 4)), (ushort)(flags | VerFlgWeak));
                        weakened.Add(name);
                    }
                }
                uint nextAux = elf.U32(aux + 12);
                if (nextAux == 0)
                {
                    break;
                }
                aux += nextAux;
            }
            uint next = elf.U32(need + 12);
            if (next == 0)
            {
                break;
            }
            need += next;
        }

        var cleared = new List<string>();
        if (missingIndices.Count > 0)
        {
            long symbols = dynsym.Size / 24;
            for (long s = 0; s < symbols; s++)
            {
                long entry = versym.Offset + (s * 2);
                ushort version = (ushort)(elf.U16(entry) & 0x7fff);
                long sym = dynsym.Offset + (s * 24);
                ushort shndx = elf.U16(sym + 6); // Elf64_Sym: st_name u32, st_info u8, st_other u8, st_shndx u16, ...
                if (shndx == 0 && missingIndices.TryGetValue(version, out string? versionName))
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan((int)entry), 1);
                    cleared.Add($"{elf.String(dynstr, elf.U32(sym))}@{versionName}");
                }
            }
        }

        var result = new ElfPatchResult(weakened, cleared);
        if (result.Changed)
        {
            string temp = $"{libraryPath}.{Environment.ProcessId}.tmp";
            File.WriteAllBytes(temp, bytes);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, File.GetUnixFileMode(libraryPath));
            }
            File.Move(temp, libraryPath, overwrite: true);
        }
        return result;
    }

    private readonly record struct SectionHeader(uint Type, long Offset, long Size, uint Link, uint Info);

    /// <summary>Read-only view of the section headers of an ELF64 little-endian file.</summary>
    private sealed class Elf
    {
        private readonly byte[] _bytes;
        private readonly string _path;
        private readonly SectionHeader[] _sections;

        public Elf(byte[] bytes, string path)
        {
            _bytes = bytes;
            _path = path;
            if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            {
                throw new EdgeException($"{path}: not an ELF file");
            }
            if (bytes[4] != 2 || bytes[5] != 1)
            {
                throw new EdgeException($"{path}: only ELF64 little-endian is supported (class {bytes[4]}, data {bytes[5]})");
            }
            long shoff = (long)U64(0x28);
            ushort shentsize = U16(0x3a);
            ushort shnum = U16(0x3c);
            _sections = new SectionHeader[shnum];
            for (int i = 0; i < shnum; i++)
            {
                long h = shoff + ((long)i * shentsize);
                // Elf64_Shdr: name u32, type u32, flags u64, addr u64, offset u64, size u64, link u32, info u32, ...
                _sections[i] = new SectionHeader(U32(h + 4), (long)U64(h + 24), (long)U64(h + 32), U32(h + 40), U32(h + 44));
            }
        }

        public SectionHeader? FindSection(uint type)
        {
            foreach (var s in _sections)
            {
                if (s.Type == type)
                {
                    return s;
                }
            }
            return null;
        }

        public SectionHeader Section(uint index) =>
            index < _sections.Length ? _sections[index] : throw new EdgeException($"{_path}: section index {index} out of range");

        public ushort U16(long at) => BinaryPrimitives.ReadUInt16LittleEndian(Span(at, 2));

        public uint U32(long at) => BinaryPrimitives.ReadUInt32LittleEndian(Span(at, 4));

        public ulong U64(long at) => BinaryPrimitives.ReadUInt64LittleEndian(Span(at, 8));

        public string String(SectionHeader table, uint offset)
        {
            _ = Span(table.Offset + offset, 1);
            int start = (int)(table.Offset + offset);
            int end = Array.IndexOf(_bytes, (byte)0, start);
            return end < 0 ? throw new EdgeException($"{_path}: unterminated string at {start}") : Encoding.ASCII.GetString(_bytes, start, end - start);
        }

        private ReadOnlySpan<byte> Span(long at, int length) =>
            at >= 0 && at + length <= _bytes.Length ? _bytes.AsSpan((int)at, length) : throw new EdgeException($"{_path}: truncated ELF (offset {at})");
    }
}
