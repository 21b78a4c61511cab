using Caisson.Runtime.Containers;
using Caisson.Runtime.Shim;
using Caisson.Core.Time;

namespace Caisson.Tests.Runtime.Containers;

public sealed class ContainerExitTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("exit 0", 0, false, 0, "Completed")]
    [InlineData("exit 3", 3, false, 3, "Error")]
    [InlineData("SIGKILL without OOM", 137, false, 137, "Error")]
    [InlineData("OOM kill of the init", 137, true, 137, "OOMKilled")]
    [InlineData("OOM kill of a child, init exits 0", 0, true, 0, "OOMKilled")]
    [InlineData("no exit code recorded", null, false, 255, "Error")]
    public void The_reason_follows_containerd(string description, int? shimExitCode, bool oomKilled, int exitCode, string reason)
    {
        var exit = ContainerExit.FromShim(new ShimStatus(ShimContainerState.Exited, 9, shimExitCode, null, null) { OomKilled = oomKilled }, Now);
        Assert.True(exit.ExitCode == exitCode && exit.Reason == reason, $"{description}: {exit}");
        Assert.Equal(Now, exit.FinishedAt);
    }

    [Fact]
    public void An_unknown_exit_is_255_Unknown_now()
    {
        var record = Record(startedAt: 1_000);
        var exited = ContainerExit.Unknown(Now).ApplyTo(record);

        Assert.Equal(ContainerState.Exited, exited.State);
        Assert.Equal(255, exited.ExitCode);
        Assert.Equal("Unknown", exited.Reason);
        Assert.Equal(UnixTime.Nanoseconds(Now), exited.FinishedAtNanoseconds);
        Assert.Equal(1_000, exited.StartedAtNanoseconds);
    }

    [Fact]
    public void The_shims_start_time_fills_a_missing_one_to_the_100ns()
    {
        var started = Now.AddTicks(-12_345_671);
        var exit = ContainerExit.FromShim(new ShimStatus(ShimContainerState.Exited, 9, 0, started, Now), Now);
        var exited = exit.ApplyTo(Record(startedAt: 0));

        Assert.Equal(UnixTime.Nanoseconds(Now) - 1_234_567_100, exited.StartedAtNanoseconds);
        Assert.Equal(UnixTime.Nanoseconds(Now), exited.FinishedAtNanoseconds);
    }

    private static ContainerRecord Record(long startedAt) => new()
    {
        Id = "c1",
        SandboxId = "s1",
        Key = "c_s1_0",
        Name = "c",
        Image = "busybox",
        ImageId = "sha256:00",
        RuntimeHandler = "runc",
        State = ContainerState.Running,
        StartedAtNanoseconds = startedAt,
        Bundle = "/run/caisson/containers/c1",
        WritableLayer = "/var/lib/caisson/containers/c1",
        Config = [],
    };
}
