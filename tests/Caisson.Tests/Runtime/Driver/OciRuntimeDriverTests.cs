using Caisson.Core.Errors;
using Caisson.Runtime.Driver;
using Caisson.Tests.Shim;
using Microsoft.Extensions.Logging.Abstractions;

namespace Caisson.Tests.Runtime.Driver;

[Trait("Category", "Privileged")]
public sealed class OciRuntimeDriverTests
{
    [Fact]
    public async Task State_follows_the_container_from_created_to_running_to_stopped()
    {
        await using var container = await DriverContainer.CreateAsync(["/bin/sleep", "1000"]);
        var created = await container.Driver.StateAsync(container.Id);
        Assert.Equal(RuntimeContainerStatus.Created, created.Status);
        Assert.Equal(container.Id, created.Id);
        Assert.Equal(container.Bundle, created.Bundle);
        Assert.True(created.Pid > 0);
        Assert.InRange(created.Created!.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));

        await container.Client.StartAsync();
        Assert.Equal(RuntimeContainerStatus.Running, (await container.Driver.StateAsync(container.Id)).Status);

        await container.Driver.KillAsync(container.Id, 9, all: false);
        await container.Client.WaitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        Assert.Equal(RuntimeContainerStatus.Stopped, (await container.Driver.StateAsync(container.Id)).Status);
    }

    [Fact]
    public async Task Delete_is_idempotent_and_a_deleted_container_is_not_found()
    {
        await using var container = await DriverContainer.StartSleeperAsync();
        await container.Driver.KillAsync(container.Id, 9, all: true);
        await container.Client.WaitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);

        await container.Driver.DeleteAsync(container.Id, force: false);
        await container.Driver.DeleteAsync(container.Id, force: false);
        await container.Driver.DeleteAsync(container.Id, force: true);

        var state = await Assert.ThrowsAsync<NotFoundException>(() => container.Driver.StateAsync(container.Id));
        Assert.Contains(container.Id, state.Message, StringComparison.Ordinal);
        Assert.Contains("container does not exist", state.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotFoundException>(() => container.Driver.KillAsync(container.Id, 9, all: false));
    }

    [Fact]
    public async Task Force_delete_removes_a_running_container()
    {
        await using var container = await DriverContainer.StartSleeperAsync();
        await container.Driver.DeleteAsync(container.Id, force: true);
        await Assert.ThrowsAsync<NotFoundException>(() => container.Driver.StateAsync(container.Id));
    }

    [Fact]
    public async Task Pause_and_resume_change_the_status()
    {
        await using var container = await DriverContainer.StartSleeperAsync();
        await container.Driver.PauseAsync(container.Id);
        Assert.Equal(RuntimeContainerStatus.Paused, (await container.Driver.StateAsync(container.Id)).Status);
        await container.Driver.ResumeAsync(container.Id);
        Assert.Equal(RuntimeContainerStatus.Running, (await container.Driver.StateAsync(container.Id)).Status);
    }

    [Fact]
    public async Task Update_sets_the_memory_limit_in_the_containers_cgroup()
    {
        await using var container = await DriverContainer.StartSleeperAsync();
        const long limit = 96L * 1024 * 1024;
        await container.Driver.UpdateAsync(container.Id, "{\"memory\":{\"limit\":" + limit.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}");

        var pid = (await container.Driver.StateAsync(container.Id)).Pid;
        var memoryCgroup = File.ReadAllLines($"/proc/{pid}/cgroup")
            .Select(line => line.Split(':', 3))
            .Single(fields => fields[1].Split(',').Contains("memory"))[2];
        var written = File.ReadAllText($"/sys/fs/cgroup/memory{memoryCgroup}/memory.limit_in_bytes").Trim();
        Assert.Equal(limit.ToString(System.Globalization.CultureInfo.InvariantCulture), written);
    }

    [Fact]
    public async Task A_missing_runtime_binary_is_a_failed_precondition_naming_the_path()
    {
        var driver = new OciRuntimeDriver(new RuntimeHandler("ghost", "/nonexistent/runc", "/tmp/caisson-ghost"), NullLogger.Instance);
        var error = await Assert.ThrowsAsync<FailedPreconditionException>(() => driver.StateAsync("any"));
        Assert.Contains("/nonexistent/runc", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crun_on_a_hybrid_cgroup_node_reports_its_refusal_clearly()
    {
        var crun = RuntimeHandler.Crun(Directory.CreateTempSubdirectory("caisson-crun-").FullName);
        var work = Directory.CreateTempSubdirectory("caisson-crun-bundle-").FullName;
        try
        {
            var bundle = Path.Combine(work, "bundle");
            BusyboxBundle.Write(bundle, ["/bin/sleep", "1000"]);
            var run = await Caisson.Testing.Processes.ProcessRunner.RunAsync(
                crun.BinaryPath, ["--root", crun.RootDirectory, "run", "--detach", "--bundle", bundle, "crun-probe"]);
            var error = RuntimeErrors.For(crun, "create", "crun-probe", new RuntimeCommandResult(run.ExitCode, run.StandardOutput, run.StandardError));

            Assert.IsType<FailedPreconditionException>(error);
            Assert.Contains(RuntimeErrors.HybridCgroupsRefusal, error.Message, StringComparison.Ordinal);
            Assert.Contains("crun-probe", error.Message, StringComparison.Ordinal);
            Assert.Contains("use the runc handler", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await Caisson.Testing.Processes.ProcessRunner.RunAsync(crun.BinaryPath, ["--root", crun.RootDirectory, "delete", "--force", "crun-probe"]);
            Directory.Delete(work, recursive: true);
            Directory.Delete(crun.RootDirectory, recursive: true);
        }
    }
}
