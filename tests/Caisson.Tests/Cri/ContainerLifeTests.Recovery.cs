using System.Globalization;
using Caisson.Api.Cri;

namespace Caisson.Tests.Cri;

// A daemon restarted after a crash finds containers whose shim died meanwhile: the exit the shim recorded
// when there is one, else exited with containerd's unknown status (255, "Unknown") and a warning.
public sealed partial class ContainerLifeTests
{
    [Theory]
    [InlineData("running, shim and container killed: no exit recorded", "sleep 1000", false, 255, "Unknown")]
    [InlineData("exited 7 before its shim was killed: the exit file tells", "exit 7", true, 7, "Error")]
    public async Task A_container_whose_shim_died_with_the_daemon_down_is_exited(
        string description, string script, bool exitsFirst, int exitCode, string reason)
    {
        var (sandbox, config) = await bed.RunPodAsync(exitsFirst ? "recorded" : "lost");
        var id = await bed.RunAsync(sandbox, config, bed.Container("victim", "/bin/sh", "-c", script));
        var state = bed.ShimState(id);
        if (exitsFirst)
            await WaitUntilAsync(() => File.Exists(state.ExitPath));
        var shimPid = ReadPid(state.ShimPidPath);
        var initPid = ReadPid(state.InitPidPath);

        await bed.Daemon.KillAsync();
        Kill(shimPid);
        if (!exitsFirst)
            Kill(initPid);
        await bed.Daemon.RestartAsync();

        // Start-up already settled it: the warning is logged before anyone asks for the status.
        var warned = bed.Daemon.Output.Split('\n').Any(l => l.Contains(id, StringComparison.Ordinal) && l.Contains("shim is gone", StringComparison.Ordinal));
        Assert.True(warned == (reason == "Unknown"), $"{description}: warned {warned}");
        var status = (await bed.StatusAsync(id)).Status;
        Assert.True(status.State == ContainerState.ContainerExited, $"{description}: {status.State}");
        Assert.True(status.ExitCode == exitCode, $"{description}: exit code {status.ExitCode}");
        Assert.True(status.Reason == reason, $"{description}: reason {status.Reason}");
        Assert.True(status.FinishedAt >= status.StartedAt, description);

        await bed.Runtime.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = id });
        Assert.False(Directory.Exists(state.Path), description);
    }

    private static int ReadPid(string path) => int.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);

    private static void Kill(int pid)
    {
        using var process = System.Diagnostics.Process.GetProcessById(pid);
        process.Kill();
        process.WaitForExit(5000);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(50);
        }
    }
}
