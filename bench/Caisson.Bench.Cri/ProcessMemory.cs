using System.Globalization;

namespace Caisson.Bench.Cri;

/// <summary>
/// Resident memory of processes from /proc: RSS (VmRSS, every page mapped, shared ones counted in full) and PSS
/// (smaps_rollup's Pss, shared pages split between the processes mapping them, so N shims of one binary add up honestly).
/// </summary>
internal static class ProcessMemory
{
    public static MemoryUse Of(int pid) =>
        new(StatusField(pid, "VmRSS:"), RollupField(pid, "Pss:"));

    /// <summary>The process's peak RSS since it started (VmHWM).</summary>
    public static long PeakRssKiB(int pid) => StatusField(pid, "VmHWM:");

    public static MemoryUse Sum(IEnumerable<int> pids) =>
        pids.Select(Of).Aggregate(new MemoryUse(0, 0), (total, one) => new MemoryUse(total.RssKiB + one.RssKiB, total.PssKiB + one.PssKiB));

    /// <summary>Processes running <paramref name="executable"/> whose command line holds <paramref name="commandLineContains"/>.</summary>
    public static IReadOnlyList<int> Find(string executable, string? commandLineContains)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            try
            {
                if (new FileInfo(Path.Combine(directory, "exe")).LinkTarget != executable)
                    continue;
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLineContains is null || commandLine.Contains(commandLineContains, StringComparison.Ordinal))
                    found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone between the listing and the read, or a kernel thread: not a shim.
            }
        }

        return found;
    }

    private static long StatusField(int pid, string field) =>
        KiB(File.ReadLines($"/proc/{pid}/status"), field, $"/proc/{pid}/status");

    private static long RollupField(int pid, string field) =>
        KiB(File.ReadLines($"/proc/{pid}/smaps_rollup"), field, $"/proc/{pid}/smaps_rollup");

    private static long KiB(IEnumerable<string> lines, string field, string file)
    {
        var line = lines.FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{file} has no {field} line");
        var value = line[field.Length..].Trim();
        return long.Parse(value.EndsWith(" kB", StringComparison.Ordinal) ? value[..^3] : value, CultureInfo.InvariantCulture);
    }
}
