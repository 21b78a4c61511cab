using System.Diagnostics;
using Caisson.Api.Cri;
using Caisson.Testing.Daemon;

namespace Caisson.Bench.Cri;

/// <summary>One runtime's whole run: wait until ready, idle memory, pulls, step latencies, then density.</summary>
internal static class RuntimeRun
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);
    private const int RoundTrips = 200;

    public static async Task<int> RunAsync(RunOptions options)
    {
        using var channel = DaemonClients.OpenChannel(options.Socket);
        var runtime = new RuntimeService.RuntimeServiceClient(channel);
        var images = new ImageService.ImageServiceClient(channel);
        await WaitUntilReadyAsync(runtime, options.Name);
        var version = await runtime.VersionAsync(new VersionRequest());
        var runtimeName = $"{version.RuntimeName} {version.RuntimeVersion}";
        Progress(options.Name, $"ready: {runtimeName}");

        await Task.Delay(Settle);
        var idle = ProcessMemory.Of(options.DaemonPid);
        Progress(options.Name, $"idle daemon RSS {idle.RssKiB / 1024.0:F1} MiB, PSS {idle.PssKiB / 1024.0:F1} MiB");

        foreach (var image in options.Pulls.Append(options.Image).Distinct(StringComparer.Ordinal))
        {
            var start = Stopwatch.GetTimestamp();
            await images.PullImageAsync(new PullImageRequest { Image = new ImageSpec { Image = image } });
            Progress(options.Name, $"pulled {image} in {Stopwatch.GetElapsedTime(start).TotalSeconds:F2} s");
        }

        var requests = new PodRequests(options.Image, options.LogDirectory, options.CgroupParent);
        var latency = new LatencyRun(runtime, requests, options);
        var steps = await latency.RunAsync();
        Progress(options.Name, $"daemon CPU per cycle: {latency.DaemonCpuPerCycle.OwnMs:F1} ms own, {latency.DaemonCpuPerCycle.ChildrenMs:F1} ms reaped children");
        steps[Steps.RoundTrip] = await RoundTripsAsync(runtime);
        foreach (var (step, samples) in steps)
            Progress(options.Name, $"{step}: median {Percentiles.Median(samples):F1} ms, p90 {Percentiles.NearestRank(samples, 90):F1} ms");

        var density = await new DensityRun(runtime, requests, options).RunAsync(idle);
        Progress(options.Name, $"{density.Pods} pods: daemon RSS {density.DaemonWithPods.RssKiB / 1024.0:F1} MiB, " +
            $"{density.ShimProcesses} shims RSS {density.Shims.RssKiB / 1024.0:F1} MiB PSS {density.Shims.PssKiB / 1024.0:F1} MiB");

        new RuntimeResult
        {
            Name = options.Name,
            Runtime = runtimeName,
            Iterations = options.Iterations,
            StepsMs = steps.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal),
            DaemonCpuPerCycle = latency.DaemonCpuPerCycle,
            Density = density,
        }.Save(options.Output);
        return 0;
    }

    public static void Progress(string name, string message) =>
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {name}: {message}");

    /// <summary>Both runtimes answer before their CNI config is loaded; the benchmark needs both conditions true.</summary>
    private static async Task WaitUntilReadyAsync(RuntimeService.RuntimeServiceClient runtime, string name)
    {
        var deadline = Stopwatch.StartNew();
        string last = "no answer";
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                var status = await runtime.StatusAsync(new StatusRequest());
                var conditions = status.Status.Conditions;
                if (conditions.Any(c => c.Type == "RuntimeReady" && c.Status) && conditions.Any(c => c.Type == "NetworkReady" && c.Status))
                    return;
                last = string.Join(", ", conditions.Select(c => $"{c.Type}={c.Status} {c.Reason} {c.Message}".Trim()));
            }
            catch (Grpc.Core.RpcException error)
            {
                last = error.Status.Detail;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{name} was not ready within 60 s: {last}");
    }

    /// <summary>The cheapest RPC, timed: the client's and the transport's share of every step above.</summary>
    private static async Task<List<double>> RoundTripsAsync(RuntimeService.RuntimeServiceClient runtime)
    {
        var samples = new List<double>(RoundTrips);
        for (var i = 0; i < RoundTrips; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await runtime.VersionAsync(new VersionRequest());
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return samples;
    }
}
