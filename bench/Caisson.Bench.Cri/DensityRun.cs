using System.Diagnostics;
using Caisson.Api.Cri;

namespace Caisson.Bench.Cri;

/// <summary>
/// Runs N pods of one container each, one after another, then measures the daemon and every shim while they all
/// run, then stops and removes them.
/// </summary>
internal sealed class DensityRun(RuntimeService.RuntimeServiceClient runtime, PodRequests requests, RunOptions options)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    public async Task<DensityResult> RunAsync(MemoryUse idle)
    {
        var sandboxes = new List<string>(options.Pods);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < options.Pods; i++)
        {
            var sandboxConfig = requests.Sandbox($"density-{i}");
            var sandbox = (await runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = sandboxConfig })).PodSandboxId;
            sandboxes.Add(sandbox);
            var container = (await runtime.CreateContainerAsync(new CreateContainerRequest
            {
                PodSandboxId = sandbox,
                SandboxConfig = sandboxConfig,
                Config = requests.Container(),
            })).ContainerId;
            await runtime.StartContainerAsync(new StartContainerRequest { ContainerId = container });
        }

        var startSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        RuntimeRun.Progress(options.Name, $"{options.Pods} pods running after {startSeconds:F1} s");

        await Task.Delay(Settle);
        var daemon = ProcessMemory.Of(options.DaemonPid);
        var shims = ProcessMemory.Find(options.ShimExecutable, options.ShimCommandLineContains);
        var shimMemory = ProcessMemory.Sum(shims);

        start = Stopwatch.GetTimestamp();
        foreach (var sandbox in sandboxes)
        {
            await runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandbox });
            await runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandbox });
        }

        var removeSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new DensityResult
        {
            Pods = options.Pods,
            DaemonIdle = idle,
            DaemonWithPods = daemon,
            DaemonPeakRssKiB = ProcessMemory.PeakRssKiB(options.DaemonPid),
            ShimProcesses = shims.Count,
            Shims = shimMemory,
            StartSeconds = startSeconds,
            RemoveSeconds = removeSeconds,
        };
    }
}
