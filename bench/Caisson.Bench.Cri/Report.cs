using System.Globalization;
using System.Text;

namespace Caisson.Bench.Cri;

/// <summary>The markdown tables of docs/benchmarks.md, from two runs and the floor's samples.</summary>
internal static class Report
{
    private static readonly (string Label, string Step)[] LatencyRows =
    [
        ("RunPodSandbox", Steps.RunPodSandbox),
        ("CreateContainer + StartContainer", Steps.CreateStart),
        ("· CreateContainer", Steps.CreateContainer),
        ("· StartContainer", Steps.StartContainer),
        ("StopContainer + RemoveContainer", Steps.StopRemove),
        ("· StopContainer", Steps.StopContainer),
        ("· RemoveContainer", Steps.RemoveContainer),
        ("StopPodSandbox + RemovePodSandbox", Steps.StopRemovePod),
        ("· StopPodSandbox", Steps.StopPodSandbox),
        ("· RemovePodSandbox", Steps.RemovePodSandbox),
        ("gRPC round trip (Version)", Steps.RoundTrip),
    ];

    public static int Print(string caissonPath, string containerdPath, string floorPath)
    {
        var caisson = RuntimeResult.Load(caissonPath);
        var containerd = RuntimeResult.Load(containerdPath);
        var floor = ReadFloor(floorPath);
        Console.Write(LatencyTable(caisson, containerd, floor));
        Console.WriteLine();
        Console.Write(ResourceTable(caisson, containerd));
        Console.WriteLine();
        Console.WriteLine($"caisson: {caisson.Runtime}; containerd: {containerd.Runtime}; {caisson.Iterations} cycles each after warm-up.");
        return 0;
    }

    /// <summary>Lines of "STEP MILLISECONDS", as bench/runtime/run.sh writes them.</summary>
    private static Dictionary<string, List<double>> ReadFloor(string path)
    {
        var samples = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path).Where(l => l.Length > 0))
        {
            var space = line.LastIndexOf(' ');
            if (space <= 0 || !double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                throw new ArgumentException($"{path}: \"{line}\" is not \"STEP MILLISECONDS\"");
            var step = line[..space];
            if (!samples.TryGetValue(step, out var list))
                samples[step] = list = [];
            list.Add(value);
        }

        return samples;
    }

    private static string LatencyTable(RuntimeResult caisson, RuntimeResult containerd, Dictionary<string, List<double>> floor)
    {
        var table = new StringBuilder();
        table.AppendLine("| ms, median (p90) | caisson | containerd | floor | caisson / containerd |");
        table.AppendLine("|---|---|---|---|---|");
        foreach (var (label, step) in LatencyRows)
        {
            var ours = caisson.StepsMs[step];
            var theirs = containerd.StepsMs[step];
            var floorCell = floor.TryGetValue(step, out var floorSamples) ? Cell(floorSamples) : "";
            table.AppendLine(Invariant(
                $"| {label} | {Cell(ours)} | {Cell(theirs)} | {floorCell} | {Percentiles.Median(ours) / Percentiles.Median(theirs):F2} |"));
        }

        return table.ToString();
    }

    private static string ResourceTable(RuntimeResult caissonRun, RuntimeResult containerdRun)
    {
        var (caisson, containerd) = (caissonRun.Density, containerdRun.Density);
        static string MiB(long kib) => Invariant($"{kib / 1024.0:F1}");
        static string PerPod(long kib, int pods) => pods == 0 ? "" : Invariant($"{kib / 1024.0 / pods:F2}");

        var table = new StringBuilder();
        table.AppendLine("| | caisson | containerd |");
        table.AppendLine("|---|---|---|");
        void Row(string label, string ours, string theirs) => table.AppendLine($"| {label} | {ours} | {theirs} |");
        Row("daemon CPU per cycle, own (ms)", Milliseconds(caissonRun.DaemonCpuPerCycle.OwnMs), Milliseconds(containerdRun.DaemonCpuPerCycle.OwnMs));
        Row("daemon CPU per cycle, reaped children (ms)",
            Milliseconds(caissonRun.DaemonCpuPerCycle.ChildrenMs), Milliseconds(containerdRun.DaemonCpuPerCycle.ChildrenMs));
        Row("daemon RSS, idle (MiB)", MiB(caisson.DaemonIdle.RssKiB), MiB(containerd.DaemonIdle.RssKiB));
        Row("daemon PSS, idle (MiB)", MiB(caisson.DaemonIdle.PssKiB), MiB(containerd.DaemonIdle.PssKiB));
        Row($"daemon RSS, {caisson.Pods} pods running (MiB)", MiB(caisson.DaemonWithPods.RssKiB), MiB(containerd.DaemonWithPods.RssKiB));
        Row($"daemon PSS, {caisson.Pods} pods running (MiB)", MiB(caisson.DaemonWithPods.PssKiB), MiB(containerd.DaemonWithPods.PssKiB));
        Row("daemon peak RSS over the run (VmHWM, MiB)", MiB(caisson.DaemonPeakRssKiB), MiB(containerd.DaemonPeakRssKiB));
        Row($"shim processes for {caisson.Pods} pods", Count(caisson.ShimProcesses), Count(containerd.ShimProcesses));
        Row("shim RSS per pod (MiB, sum / pods)", PerPod(caisson.Shims.RssKiB, caisson.Pods), PerPod(containerd.Shims.RssKiB, containerd.Pods));
        Row("shim PSS per pod (MiB, sum / pods)", PerPod(caisson.Shims.PssKiB, caisson.Pods), PerPod(containerd.Shims.PssKiB, containerd.Pods));
        Row($"shims' PSS, all {caisson.Pods} pods (MiB)", MiB(caisson.Shims.PssKiB), MiB(containerd.Shims.PssKiB));
        Row($"start {caisson.Pods} pods one by one (s)", Invariant($"{caisson.StartSeconds:F1}"), Invariant($"{containerd.StartSeconds:F1}"));
        Row($"stop + remove {caisson.Pods} pods (s)", Invariant($"{caisson.RemoveSeconds:F1}"), Invariant($"{containerd.RemoveSeconds:F1}"));
        return table.ToString();
    }

    private static string Cell(IReadOnlyCollection<double> samples) =>
        Invariant($"{Percentiles.Median(samples):F1} ({Percentiles.NearestRank(samples, 90):F1})");

    private static string Milliseconds(double value) => Invariant($"{value:F1}");

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
