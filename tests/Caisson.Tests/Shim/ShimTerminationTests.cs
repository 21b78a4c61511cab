using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Caisson.Runtime.Driver;
using Caisson.Runtime.Shim;

namespace Caisson.Tests.Shim;

/// <summary>How a shim ends (terminate, in any state) and what it reports and holds on the way.</summary>
[Trait("Category", "Privileged")]
public sealed partial class ShimTerminationTests
{
    [Theory]
    [InlineData("created, init waiting for start", false, 137)]
    [InlineData("running", true, 137)]
    public async Task Terminate_kills_a_live_container_and_returns_once_the_shim_has_exited(string description, bool start, int exitCode)
    {
        await using var container = await ShimContainer.CreateAsync(["/bin/sleep", "1000"]);
        if (start)
            await container.Client.StartAsync();
        var shimPid = container.ShimPid;

        var clock = Stopwatch.StartNew();
        var terminated = await container.Client.TerminateAsync(TimeSpan.FromSeconds(10));
        clock.Stop();

        Assert.True(terminated, description);
        // Well under the 10 s it is allowed, with room for a loaded machine (it takes tens of ms).
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"{description}: {clock.ElapsedMilliseconds} ms");
        Assert.True(ProcessStat.Read(shimPid) is null or { HasExited: true }, $"{description}: shim still runs");
        Assert.True(container.State.ReadExit()?.ExitCode == exitCode, description);
    }

    [Fact]
    public async Task A_container_that_exited_before_the_signal_is_not_an_error_to_signal_unless_exited()
    {
        // What StopPodSandbox met in CI: the status said running, then the container exited (its pod's pause had
        // been killed), and the shim refused the SIGKILL with "container has exited".
        await using var container = await ShimContainer.CreateAsync(["/bin/sh", "-c", "exit 3"]);
        await container.Client.StartAsync();
        Assert.Equal(3, (await container.Client.WaitAsync()).ExitCode);

        await Assert.ThrowsAsync<Caisson.Core.Errors.FailedPreconditionException>(() => container.Client.SignalAsync(9));
        Assert.False(await container.Client.SignalUnlessExitedAsync(9));
    }

    [Fact]
    public async Task Signal_unless_exited_signals_a_running_container()
    {
        await using var container = await ShimContainer.CreateAsync(["/bin/sleep", "1000"]);
        await container.Client.StartAsync();

        Assert.True(await container.Client.SignalUnlessExitedAsync(9));
        Assert.Equal(137, (await container.Client.WaitAsync()).ExitCode);
    }

    [Theory]
    [InlineData("counter grew after create", "oom_kill 0\n", "oom_kill 1\n", true)]
    [InlineData("v1 memory.oom_control, counter unchanged", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n", null, false)]
    [InlineData("no such file", null, null, false)]
    public async Task The_exit_says_oom_killed_when_the_oom_kill_counter_grew(string description, string? atCreate, string? beforeExit, bool oomKilled)
    {
        await using var container = await ShimContainer.PrepareAsync(["/bin/sleep", "1000"]);
        var events = Path.Combine(container.Root, "memory.events");
        if (atCreate is not null)
            await File.WriteAllTextAsync(events, atCreate);
        await ShimLauncher.LaunchAsync(container.Options with { OomEventsPath = events }, TimeSpan.FromSeconds(30));
        await container.Client.StartAsync();
        if (beforeExit is not null)
            await File.WriteAllTextAsync(events, beforeExit);

        await container.Client.SignalAsync(9);
        var exit = await container.Client.WaitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

        Assert.True(exit.OomKilled == oomKilled, description);
        Assert.True(container.State.ReadExit()?.OomKilled == oomKilled, description);
    }

    [Fact]
    public async Task The_shim_does_not_keep_descriptors_its_launcher_inherited()
    {
        var (read, write) = InheritablePipe();
        try
        {
            var inode = new FileInfo($"/proc/self/fd/{write}").LinkTarget;
            await using var container = await ShimContainer.CreateAsync(["/bin/sleep", "1000"]);

            var held = Directory.GetFiles($"/proc/{container.ShimPid}/fd").Select(fd => new FileInfo(fd).LinkTarget).ToList();
            Assert.DoesNotContain(inode, held);
            Assert.Contains(held, target => target?.StartsWith("pipe:", StringComparison.Ordinal) == true); // its own output pipes
        }
        finally
        {
            Close(read);
            Close(write);
        }
    }

    private static unsafe (int Read, int Write) InheritablePipe()
    {
        var fds = stackalloc int[2];
        Assert.Equal(0, Pipe(fds));
        return (fds[0], fds[1]);
    }

    [LibraryImport("libc", EntryPoint = "pipe", SetLastError = true)]
    private static unsafe partial int Pipe(int* fds);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
