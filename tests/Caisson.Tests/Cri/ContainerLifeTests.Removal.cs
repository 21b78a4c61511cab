using System.Diagnostics;
using System.Globalization;
using Caisson.Api.Cri;
using Caisson.Runtime.Driver;

namespace Caisson.Tests.Cri;

// RemoveContainer ends the container's shim and returns promptly in every state. It used to take 10 s for a
// created container (the shim waited for an exit nobody caused) and 1-2 s otherwise (the daemon counted the
// exited shim's zombie, which only init reaps, as still running). The bound is generous, well above the
// ~100 ms it takes, so that a loaded 2-core CI machine running other test classes meanwhile does not miss it.
public sealed partial class ContainerLifeTests
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    public enum Stage
    {
        Created,
        Running,
        Stopped,
    }

    [Theory]
    [InlineData("created, never started: its init waits for start", Stage.Created)]
    [InlineData("running: removal kills it", Stage.Running)]
    [InlineData("stopped first", Stage.Stopped)]
    public async Task Remove_returns_promptly_with_the_shim_gone(string description, Stage stage)
    {
        var (sandbox, config) = await bed.RunPodAsync($"remove-{stage.ToString().ToLowerInvariant()}");
        var id = await bed.CreateAsync(sandbox, config, bed.Container("sleeper", "/bin/sleep", "1000"));
        if (stage != Stage.Created)
            await bed.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });
        if (stage == Stage.Stopped)
            await bed.Runtime.StopContainerAsync(new StopContainerRequest { ContainerId = id, Timeout = 0 });
        var shimPid = int.Parse(await File.ReadAllTextAsync(bed.ShimState(id).ShimPidPath), CultureInfo.InvariantCulture);
        var shimStart = ProcessStat.Read(shimPid)!.Value.StartTime;

        var clock = Stopwatch.StartNew();
        await bed.Runtime.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = id });
        clock.Stop();

        output.WriteLine($"{description}: RemoveContainer took {clock.ElapsedMilliseconds} ms");
        Assert.True(clock.Elapsed < Prompt, $"{description}: RemoveContainer took {clock.ElapsedMilliseconds} ms");
        var shim = ProcessStat.Read(shimPid);
        Assert.True(shim is null || shim.Value.HasExited || shim.Value.StartTime != shimStart, $"{description}: shim {shimPid} still runs");
        Assert.False(Directory.Exists(bed.ShimState(id).Path), description);
    }
}
