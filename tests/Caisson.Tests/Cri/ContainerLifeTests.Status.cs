using System.Globalization;
using System.Text.Json;
using Caisson.Api.Cri;

namespace Caisson.Tests.Cri;

// ContainerStatus carries what critest and kubelet read (mounts as given, log path, image and its ref,
// labels, annotations, resources, user, ordered timestamps) and, when verbose, containerd-shaped info.
public sealed partial class ContainerLifeTests
{
    [Fact]
    public async Task Status_reports_the_config_as_given_and_the_image_by_tag_and_digest()
    {
        var (sandbox, podConfig) = await bed.RunPodAsync("status");
        var hostPath = Directory.CreateDirectory(Path.Combine(bed.Daemon.Directory, "status-volume")).FullName;
        var config = bed.Container("inspected", "/bin/sleep", "1000");
        config.Labels.Add("app", "status");
        config.Annotations.Add("note", "kept");
        config.Mounts.Add(new Mount { HostPath = hostPath, ContainerPath = "/data", Readonly = true, Propagation = MountPropagation.PropagationPrivate });
        config.Linux = new LinuxContainerConfig { Resources = new LinuxContainerResources { MemoryLimitInBytes = 64L << 20 } };
        var id = await bed.RunAsync(sandbox, podConfig, config);

        var response = await bed.StatusAsync(id);
        var status = response.Status;

        Assert.Empty(response.Info);
        Assert.Equal(ContainerState.ContainerRunning, status.State);
        Assert.Equal("inspected", status.Metadata.Name);
        Assert.Equal(config.Mounts, status.Mounts);
        Assert.Equal(Path.Combine(podConfig.LogDirectory, "inspected.log"), status.LogPath);
        Assert.Equal("status", status.Labels["app"]);
        Assert.Equal("kept", status.Annotations["note"]);
        Assert.Equal(bed.Image, status.Image.Image);
        Assert.StartsWith("sha256:", status.ImageId, StringComparison.Ordinal);
        Assert.StartsWith(bed.Image[..bed.Image.LastIndexOf(':')] + "@sha256:", status.ImageRef, StringComparison.Ordinal);
        Assert.Equal(64L << 20, status.Resources.Linux.MemoryLimitInBytes);
        Assert.Equal(0, status.User.Linux.Uid);
        Assert.InRange(status.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds() * 1_000_000, long.MaxValue);
        Assert.True(status.StartedAt >= status.CreatedAt, $"started {status.StartedAt} before created {status.CreatedAt}");
        Assert.Equal(0, status.FinishedAt);

        await bed.Runtime.StopContainerAsync(new StopContainerRequest { ContainerId = id, Timeout = 0 });
        var stopped = (await bed.StatusAsync(id)).Status;
        Assert.True(stopped.FinishedAt > stopped.StartedAt, $"finished {stopped.FinishedAt}, started {stopped.StartedAt}");
        Assert.Equal(status.StartedAt, stopped.StartedAt);
    }

    [Fact]
    public async Task Status_reports_the_user_the_process_runs_as_which_the_verbose_spec_agrees_with()
    {
        var (sandbox, podConfig) = await bed.RunPodAsync("user");
        var config = bed.Container("user", "/bin/sleep", "1000");
        config.Linux = new LinuxContainerConfig
        {
            SecurityContext = new LinuxContainerSecurityContext
            {
                RunAsUser = new Int64Value { Value = 1234 },
                RunAsGroup = new Int64Value { Value = 2345 },
                SupplementalGroups = { 3456 },
            },
        };
        var id = await bed.RunAsync(sandbox, podConfig, config);

        var plain = (await bed.StatusAsync(id)).Status.User.Linux;
        Assert.Equal(1234, plain.Uid);
        Assert.Equal(2345, plain.Gid);
        Assert.Contains(3456, plain.SupplementalGroups);
        // What the plain status reports from the record is what config.json says.
        var verbose = await bed.StatusAsync(id, verbose: true);
        Assert.Equal(plain, verbose.Status.User.Linux);
        using var info = JsonDocument.Parse(verbose.Info["info"]);
        var user = info.RootElement.GetProperty("runtimeSpec").GetProperty("process").GetProperty("user");
        Assert.Equal(1234, user.GetProperty("uid").GetInt64());
        Assert.Equal(plain.SupplementalGroups, user.GetProperty("additionalGids").EnumerateArray().Select(g => g.GetInt64()));
    }

    [Fact]
    public async Task Verbose_status_has_containerd_shaped_info()
    {
        var (sandbox, podConfig) = await bed.RunPodAsync("verbose");
        var id = await bed.RunAsync(sandbox, podConfig, bed.Container("verbose", "/bin/sleep", "1000"));

        var response = await bed.StatusAsync(id, verbose: true);
        using var info = JsonDocument.Parse(response.Info["info"]);
        var root = info.RootElement;

        var pid = root.GetProperty("pid").GetInt32();
        Assert.Equal(File.ReadAllText(bed.ShimState(id).InitPidPath).Trim(), pid.ToString(CultureInfo.InvariantCulture));
        Assert.Contains("sleep", File.ReadAllText($"/proc/{pid}/cmdline"), StringComparison.Ordinal);
        Assert.Equal(sandbox, root.GetProperty("sandboxID").GetString());
        Assert.Equal("runc", root.GetProperty("runtimeHandler").GetString());
        Assert.Equal("/usr/sbin/runc", root.GetProperty("runtimeOptions").GetProperty("binaryName").GetString());
        Assert.Equal("overlayfs", root.GetProperty("snapshotter").GetString());
        Assert.Equal("verbose", root.GetProperty("config").GetProperty("metadata").GetProperty("name").GetString());
        var args = root.GetProperty("runtimeSpec").GetProperty("process").GetProperty("args").EnumerateArray().Select(a => a.GetString());
        Assert.Equal(["/bin/sleep", "1000"], args);
        Assert.True(Directory.Exists(root.GetProperty("rootfs").GetString()), "rootfs is not a directory");

        await bed.Runtime.StopContainerAsync(new StopContainerRequest { ContainerId = id, Timeout = 0 });
        using var after = JsonDocument.Parse((await bed.StatusAsync(id, verbose: true)).Info["info"]);
        Assert.Equal(0, after.RootElement.GetProperty("pid").GetInt32());
    }
}
