using System.Globalization;

namespace Caisson.Bench.Cri;

/// <summary>
/// CPU time a process has used (utime + stime) and what its reaped children used (cutime + cstime), from
/// /proc/PID/stat. On a machine shared with other work, CPU time per cycle moves far less than wall time.
/// </summary>
internal readonly record struct ProcessCpu(double OwnMs, double ChildrenMs)
{
    /// <summary>/proc reports clock ticks in USER_HZ, which Linux fixes at 100 for user space.</summary>
    private const double MillisecondsPerTick = 10;

    public static ProcessCpu Of(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may hold spaces and parentheses: fields are counted after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double Ticks(int field) => long.Parse(fields[field - 3], CultureInfo.InvariantCulture) * MillisecondsPerTick;
        return new ProcessCpu(Ticks(14) + Ticks(15), Ticks(16) + Ticks(17));
    }

    /// <summary>CPU used since <paramref name="before"/>, divided evenly over <paramref name="cycles"/>.</summary>
    public ProcessCpu PerCycleSince(ProcessCpu before, int cycles) =>
        new((OwnMs - before.OwnMs) / cycles, (ChildrenMs - before.ChildrenMs) / cycles);
}
