using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Caisson.Core.Errors;
using Caisson.Runtime.Driver;
using Caisson.Testing.Processes;

namespace Caisson.Tests.Runtime.Driver;

[Trait("Category", "Privileged")]
public sealed class ExecSyncTests
{
    [Theory]
    [InlineData("stdout, exit 0", "echo out", 0, "out\n", "")]
    [InlineData("stderr, exit 3", "echo err >&2; exit 3", 3, "", "err\n")]
    [InlineData("both streams kept apart", "echo a; echo b >&2; echo c", 0, "a\nc\n", "b\n")]
    public async Task Returns_exit_code_stdout_and_stderr(string description, string script, int exitCode, string stdout, string stderr)
    {
        await using var container = await DriverContainer.StartSleeperAsync();
        var result = await container.Driver.ExecSyncAsync(container.Id, ["/bin/sh", "-c", script], TimeSpan.FromSeconds(20));

        Assert.True(result.ExitCode == exitCode, $"{description}: exit {result.ExitCode}");
        Assert.Equal(stdout, Encoding.UTF8.GetString(result.Stdout));
        Assert.Equal(stderr, Encoding.UTF8.GetString(result.Stderr));
        Assert.False(result.StdoutTruncated || result.StderrTruncated, description);
    }

    [Fact]
    public async Task Output_past_16_MiB_is_dropped_and_flagged_while_the_process_runs_to_its_end()
    {
        await using var container = await DriverContainer.StartSleeperAsync();
        var result = await container.Driver.ExecSyncAsync(
            container.Id, ["/bin/sh", "-c", "/bin/busybox yes | /bin/busybox head -c 20000000; echo done >&2"], TimeSpan.FromSeconds(60));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(16 * 1024 * 1024, result.Stdout.Length);
        Assert.True(result.StdoutTruncated);
        Assert.All(result.Stdout.Take(1000), b => Assert.True(b == (byte)'y' || b == (byte)'\n'));
        // stderr came after all 20 MB were written: the writer was never blocked by the cap.
        Assert.Equal("done\n", Encoding.UTF8.GetString(result.Stderr));
        Assert.False(result.StderrTruncated);
    }

    [Fact]
    public async Task A_timeout_kills_the_process_and_its_children_and_keeps_partial_output()
    {
        await using var container = await DriverContainer.StartSleeperAsync();
        // Durations no other test's sleep has: processes are looked for host-wide while other tests run.
        var background = Random.Shared.Next(200_000, 300_000).ToString(CultureInfo.InvariantCulture);
        var foreground = Random.Shared.Next(300_000, 400_000).ToString(CultureInfo.InvariantCulture);
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ExecTimeoutException>(() => container.Driver.ExecSyncAsync(
            container.Id, ["/bin/sh", "-c", $"echo started; sleep {background} & sleep {foreground}"], TimeSpan.FromSeconds(5)));

        Assert.Equal(ErrorKind.DeadlineExceeded, error.Kind);
        Assert.Contains(container.Id, error.Message, StringComparison.Ordinal);
        // Not before the timeout (5 s, which leaves runc exec room to start the shell on a loaded machine), and not
        // long after: the enforcement kills rather than waits for the sleeps.
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
        Assert.Equal("started\n", Encoding.UTF8.GetString(error.Partial.Stdout));
        // Neither the exec'd sleep nor its sibling started in the background may survive (the container's own
        // `sleep 1000` is not ours to kill).
        Assert.Empty(HostProcessesWithArgument(background));
        Assert.Empty(HostProcessesWithArgument(foreground));
        Assert.Equal(RuntimeContainerStatus.Running, (await container.Driver.StateAsync(container.Id)).Status);
    }

    [Fact]
    public async Task Runs_as_the_containers_user()
    {
        await using var container = await DriverContainer.StartSleeperAsync(process =>
        {
            process["user"] = new JsonObject { ["uid"] = 1000, ["gid"] = 1000 };
            process["env"] = new JsonArray("PATH=/bin", "GREETING=hello");
            process["cwd"] = "/tmp";
        });
        var result = await container.Driver.ExecSyncAsync(
            container.Id, ["/bin/sh", "-c", "/bin/busybox id -u; /bin/busybox id -g; echo $GREETING; /bin/busybox pwd"], TimeSpan.FromSeconds(20));

        Assert.Equal("1000\n1000\nhello\n/tmp\n", Encoding.UTF8.GetString(result.Stdout));
    }

    [Fact]
    public async Task A_command_that_cannot_start_is_an_error_naming_the_container()
    {
        await using var container = await DriverContainer.StartSleeperAsync();
        var error = await Assert.ThrowsAnyAsync<CaissonException>(
            () => container.Driver.ExecSyncAsync(container.Id, ["/bin/no-such-program"], TimeSpan.FromSeconds(20)));

        Assert.Contains(container.Id, error.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-program", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_in_a_container_that_is_not_running_is_refused()
    {
        await using var container = await DriverContainer.CreateAsync(["/bin/sleep", "1000"]);
        var error = await Assert.ThrowsAsync<FailedPreconditionException>(
            () => container.Driver.ExecSyncAsync(container.Id, ["/bin/echo", "x"], TimeSpan.FromSeconds(20)));
        Assert.Contains("created, not running", error.Message, StringComparison.Ordinal);
    }

    private static List<int> HostProcessesWithArgument(string argument) => HostProcesses.Matching((_, arguments) =>
        arguments.Length >= 2 && arguments[0].EndsWith("sleep", StringComparison.Ordinal) && arguments[1] == argument);
}
