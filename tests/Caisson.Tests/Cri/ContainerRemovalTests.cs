using System.Diagnostics;
using System.Globalization;
using Caisson.Api.Cri;
using Caisson.Runtime.Driver;
using Caisson.Tests.Runtime.Network;
using Xunit.Abstractions;

namespace Caisson.Tests.Cri;

/// <summary>
/// RemoveContainer ends the container's shim and returns promptly in every state. It used to take 10 s for a
/// created container (the shim waited for an exit nobody caused) and 1-2 s otherwise (the daemon counted the
/// exited shim's zombie, which only init reaps, as still running).
/// </summary>
[Trait("Category", "Integration")]
[Trait("Category", "Privileged")]
[Collection(CniTestCollection.Name)]
public sealed class ContainerRemovalTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(1);

    private CriTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await CriTestBed.StartAsync("removal");

    public async Task DisposeAsync() => await _bed.DisposeAsync();

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
        var (sandbox, config) = await _bed.RunPodAsync($"remove-{stage.ToString().ToLowerInvariant()}");
        var id = await _bed.CreateAsync(sandbox, config, _bed.Container("sleeper", "/bin/sleep", "1000"));
        if (stage != Stage.Created)
            await _bed.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });
        if (stage == Stage.Stopped)
            await _bed.Runtime.StopContainerAsync(new StopContainerRequest { ContainerId = id, Timeout = 0 });
        var shimPid = int.Parse(await File.ReadAllTextAsync(_bed.ShimState(id).ShimPidPath), CultureInfo.InvariantCulture);
        var shimStart = ProcessStat.Read(shimPid)!.Value.StartTime;

        var clock = Stopwatch.StartNew();
        await _bed.Runtime.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = id });
        clock.Stop();

        output.WriteLine($"{description}: RemoveContainer took {clock.ElapsedMilliseconds} ms");
        Assert.True(clock.Elapsed < Prompt, $"{description}: RemoveContainer took {clock.ElapsedMilliseconds} ms");
        var shim = ProcessStat.Read(shimPid);
        Assert.True(shim is null || shim.Value.HasExited || shim.Value.StartTime != shimStart, $"{description}: shim {shimPid} still runs");
        Assert.False(Directory.Exists(_bed.ShimState(id).Path), description);
    }
}
