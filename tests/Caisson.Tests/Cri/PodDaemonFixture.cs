using Caisson.Api.Cri;

namespace Caisson.Tests.Cri;

/// <summary>
/// One real caissond (real registry, CNI, caisson-shim and runc) with busybox pulled, shared by a test class;
/// helpers run pods and containers and look inside them with ExecSync. Every pod left is removed at the end.
/// </summary>
public sealed class PodDaemonFixture() : CriDaemonClassFixture("pods/busybox:v1")
{
    /// <summary>A pod config named <paramref name="name"/> (also its hostname) with the given namespace options.</summary>
    public PodSandboxConfig PodConfig(string name, NamespaceOption? namespaces = null) => new()
    {
        Metadata = new PodSandboxMetadata { Name = name, Namespace = "caisson-test", Uid = $"uid-{name}-{Guid.NewGuid():N}" },
        Hostname = name,
        LogDirectory = Path.Combine(Daemon.Directory, "pod-logs", name),
        Linux = new LinuxPodSandboxConfig
        {
            SecurityContext = new LinuxSandboxSecurityContext { NamespaceOptions = namespaces ?? new NamespaceOption() },
        },
    };

    public async Task<string> RunPodAsync(PodSandboxConfig config) =>
        (await Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = config })).PodSandboxId;

    /// <summary>Creates and starts a container running <paramref name="command"/>; <paramref name="customize"/> adjusts its config first.</summary>
    public async Task<string> StartContainerAsync(
        string sandbox, PodSandboxConfig sandboxConfig, string name, string[] command, Action<ContainerConfig>? customize = null)
    {
        var config = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = name },
            Image = new ImageSpec { Image = Image },
            Command = { command },
            LogPath = $"{name}.log",
            Linux = new LinuxContainerConfig
            {
                SecurityContext = new LinuxContainerSecurityContext
                {
                    NamespaceOptions = sandboxConfig.Linux.SecurityContext.NamespaceOptions.Clone(),
                },
            },
        };
        customize?.Invoke(config);
        var id = (await Runtime.CreateContainerAsync(new CreateContainerRequest { PodSandboxId = sandbox, SandboxConfig = sandboxConfig, Config = config })).ContainerId;
        await Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = id });
        return id;
    }

    /// <summary>Runs <paramref name="command"/> in the container; returns its stdout, failing on a non-zero exit.</summary>
    public async Task<string> ExecAsync(string container, params string[] command)
    {
        var result = await Runtime.ExecSyncAsync(new ExecSyncRequest { ContainerId = container, Cmd = { command }, Timeout = 10 });
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', command)} exited with {result.ExitCode}: {result.Stderr.ToStringUtf8()}");
        return result.Stdout.ToStringUtf8();
    }

    public async Task<ContainerStatus> WaitForExitAsync(string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var status = (await Runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = id })).Status;
            if (status.State == ContainerState.ContainerExited)
                return status;
            Assert.True(DateTime.UtcNow < deadline, $"container {id} did not exit");
            await Task.Delay(100);
        }
    }
}
