using Caisson.Api.Cri;
using Caisson.Testing.Daemon;

/// <summary>Runs a pod the way kubelet would: RunPodSandbox, CreateContainer, StartContainer, then reports its status.</summary>
internal static class DemoPod
{
    public static async Task<int> RunAsync(string socket, string image)
    {
        using var channel = DaemonClients.OpenChannel(socket);
        var runtime = new RuntimeService.RuntimeServiceClient(channel);
        var name = $"demo-{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}";
        var sandboxConfig = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = name, Namespace = "default", Uid = name },
            Hostname = name,
            LogDirectory = $"/var/log/pods/default_{name}_{name}",
            Labels = { ["app"] = "demo" },
            Linux = new LinuxPodSandboxConfig
            {
                SecurityContext = new LinuxSandboxSecurityContext { NamespaceOptions = new NamespaceOption { Pid = NamespaceMode.Container } },
            },
        };
        var sandbox = (await runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = sandboxConfig })).PodSandboxId;
        var container = (await runtime.CreateContainerAsync(new CreateContainerRequest
        {
            PodSandboxId = sandbox,
            SandboxConfig = sandboxConfig,
            Config = new ContainerConfig
            {
                Metadata = new ContainerMetadata { Name = "web" },
                Image = new ImageSpec { Image = image },
                Command = { "/bin/sh", "-c", "mkdir -p /www && echo hello from a caisson pod > /www/index.html && exec /bin/busybox httpd -f -p 8080 -h /www" },
                LogPath = "web/0.log",
            },
        })).ContainerId;
        await runtime.StartContainerAsync(new StartContainerRequest { ContainerId = container });
        var pod = (await runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandbox })).Status;
        var state = (await runtime.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = container })).Status;
        Console.WriteLine($"pod {sandbox[..12]} {pod.State} ip {pod.Network.Ip}; container {container[..12]} {state.State}; log {state.LogPath}");
        Console.WriteLine(pod.Network.Ip);
        return 0;
    }

    public static async Task<int> RemoveAllAsync(string socket)
    {
        using var channel = DaemonClients.OpenChannel(socket);
        var runtime = new RuntimeService.RuntimeServiceClient(channel);
        foreach (var pod in (await runtime.ListPodSandboxAsync(new ListPodSandboxRequest())).Items)
        {
            await runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = pod.Id });
            await runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = pod.Id });
            Console.WriteLine($"removed pod {pod.Id[..12]} ({pod.Metadata.Name})");
        }

        return 0;
    }
}
