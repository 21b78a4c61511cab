using System.Diagnostics;
using Caisson.Api.Cri;

namespace Caisson.Bench.Cri;

/// <summary>
/// Pod lifecycles one after another, each step timed from the client: RunPodSandbox, CreateContainer,
/// StartContainer, StopContainer, RemoveContainer, StopPodSandbox, RemovePodSandbox. Warm-up cycles are not kept.
/// </summary>
internal sealed class LatencyRun(RuntimeService.RuntimeServiceClient runtime, PodRequests requests, RunOptions options)
{
    /// <summary>The daemon's CPU time per timed cycle, measured over the timed cycles only.</summary>
    public ProcessCpu DaemonCpuPerCycle { get; private set; }

    public async Task<Dictionary<string, List<double>>> RunAsync()
    {
        var (warmup, iterations) = (options.Warmup, options.Iterations);
        var steps = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var cpuBefore = ProcessCpu.Of(options.DaemonPid);
        for (var i = 0; i < warmup + iterations; i++)
        {
            if (i == warmup)
                cpuBefore = ProcessCpu.Of(options.DaemonPid);
            var cycle = await CycleAsync($"latency-{i}");
            if (i < warmup)
                continue;
            foreach (var (step, milliseconds) in cycle)
            {
                if (!steps.TryGetValue(step, out var samples))
                    steps[step] = samples = new List<double>(iterations);
                samples.Add(milliseconds);
            }

            if ((i - warmup + 1) % 10 == 0)
                RuntimeRun.Progress(options.Name, $"{i - warmup + 1}/{iterations} cycles");
        }

        DaemonCpuPerCycle = ProcessCpu.Of(options.DaemonPid).PerCycleSince(cpuBefore, iterations);
        return steps;
    }

    private async Task<List<(string Step, double Milliseconds)>> CycleAsync(string podName)
    {
        var timings = new List<(string, double)>();
        async Task<T> Timed<T>(string step, Func<Task<T>> call)
        {
            var start = Stopwatch.GetTimestamp();
            var result = await call();
            timings.Add((step, Stopwatch.GetElapsedTime(start).TotalMilliseconds));
            return result;
        }

        var sandboxConfig = requests.Sandbox(podName);
        var sandbox = (await Timed(Steps.RunPodSandbox, async () =>
            await runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = sandboxConfig }))).PodSandboxId;
        var container = (await Timed(Steps.CreateContainer, async () => await runtime.CreateContainerAsync(new CreateContainerRequest
        {
            PodSandboxId = sandbox,
            SandboxConfig = sandboxConfig,
            Config = requests.Container(),
        }))).ContainerId;
        await Timed(Steps.StartContainer, async () =>
            await runtime.StartContainerAsync(new StartContainerRequest { ContainerId = container }));
        await WaitUntilReadyAsync(PodRequests.LogPath(sandboxConfig));
        await Timed(Steps.StopContainer, async () =>
            await runtime.StopContainerAsync(new StopContainerRequest { ContainerId = container, Timeout = PodRequests.StopTimeoutSeconds }));
        await Timed(Steps.RemoveContainer, async () =>
            await runtime.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = container }));
        await Timed(Steps.StopPodSandbox, async () =>
            await runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandbox }));
        await Timed(Steps.RemovePodSandbox, async () =>
            await runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandbox }));

        var byStep = timings.ToDictionary(t => t.Item1, t => t.Item2, StringComparer.Ordinal);
        timings.Add((Steps.CreateStart, byStep[Steps.CreateContainer] + byStep[Steps.StartContainer]));
        timings.Add((Steps.StopRemove, byStep[Steps.StopContainer] + byStep[Steps.RemoveContainer]));
        timings.Add((Steps.StopRemovePod, byStep[Steps.StopPodSandbox] + byStep[Steps.RemovePodSandbox]));
        return timings;
    }

    /// <summary>Untimed: until the container's trap is set (its ready line is in its CRI log).</summary>
    private static async Task WaitUntilReadyAsync(string logPath)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (File.Exists(logPath) && File.ReadLines(logPath).Any(line => line.EndsWith(" " + PodRequests.ReadyLine, StringComparison.Ordinal)))
                return;
            await Task.Delay(1);
        }

        throw new TimeoutException($"the container did not write \"{PodRequests.ReadyLine}\" to {logPath} within 30 s");
    }
}
