using System.Net;
using Caisson.Api.Cri;
using Caisson.Testing.Daemon;
using Caisson.Testing.Images;
using Caisson.Testing.Registry;
using Caisson.Tests.Runtime.Network;
using Caisson.Tests.Shim;

namespace Caisson.Tests.Cri;

/// <summary>
/// The pod network as a kubelet uses it: a web server in a container answers on the pod IP reported by
/// PodSandboxStatus and, through a hostPort mapping, on the host's loopback; both stop answering when the pod stops.
/// </summary>
[Trait("Category", "Integration")]
[Trait("Category", "Privileged")]
[Collection(CniTestCollection.Name)]
public sealed class PodNetworkingTests : IAsyncLifetime
{
    private const int ContainerPort = 8080;
    private readonly CniTestNetwork _net = new();
    private RegistryFixture _registry = null!;
    private DaemonFixture _daemon = null!;
    private string _image = "";

    public async Task InitializeAsync()
    {
        _registry = await RegistryFixture.StartAsync();
        _image = await _registry.PushAsync(TestImages.Busybox(), "networking/busybox:v1");
        var shim = await PublishedShim.GetPathAsync();
        _daemon = await DaemonFixture.StartAsync(
            $"[runtime]\nshim_path = \"{shim}\"\n[cni]\nconf_dir = \"{_net.ConfDirectory}\"\n" + DaemonConfig.For(_registry));
        await _daemon.Images.PullImageAsync(new PullImageRequest { Image = new ImageSpec { Image = _image } });
    }

    public async Task DisposeAsync()
    {
        foreach (var sandbox in (await _daemon.Runtime.ListPodSandboxAsync(new ListPodSandboxRequest())).Items)
            await _daemon.Runtime.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = sandbox.Id });
        await _daemon.DisposeAsync();
        await _registry.DisposeAsync();
        _net.Dispose();
    }

    [Fact]
    public async Task AWebServerAnswersOnThePodIpAndOnItsHostPortUntilThePodStops()
    {
        var hostPort = 32000 + _net.Number;
        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = "web", Namespace = "caisson-test", Uid = "uid-web" },
            Hostname = "web",
            PortMappings = { new PortMapping { Protocol = Protocol.Tcp, ContainerPort = ContainerPort, HostPort = hostPort } },
        };
        var sandbox = (await _daemon.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = config })).PodSandboxId;
        var container = (await _daemon.Runtime.CreateContainerAsync(new CreateContainerRequest
        {
            PodSandboxId = sandbox,
            SandboxConfig = config,
            Config = new ContainerConfig
            {
                Metadata = new ContainerMetadata { Name = "httpd" },
                Image = new ImageSpec { Image = _image },
                Command = { "/bin/sh", "-c", $"mkdir -p /www && echo served by $(hostname) > /www/index.html && exec /bin/busybox httpd -f -p {ContainerPort} -h /www" },
            },
        })).ContainerId;
        await _daemon.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = container });

        var status = (await _daemon.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandbox })).Status;
        var podIp = IPAddress.Parse(status.Network.Ip);
        Assert.True(_net.Subnet.Contains(podIp), $"pod IP {podIp} is outside the test network {_net.Subnet}");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        Assert.Equal("served by web\n", await GetWithRetryAsync(http, $"http://{podIp}:{ContainerPort}/"));
        Assert.Equal("served by web\n", await GetWithRetryAsync(http, $"http://127.0.0.1:{hostPort}/"));

        await _daemon.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandbox });
        await Assert.ThrowsAnyAsync<Exception>(() => http.GetStringAsync(new Uri($"http://127.0.0.1:{hostPort}/")));
        Assert.DoesNotContain($"--dport {hostPort} ", HostCommands.IptablesRules(), StringComparison.Ordinal);
    }

    /// <summary>The server needs a moment after StartContainer returns to bind its port.</summary>
    private static async Task<string> GetWithRetryAsync(HttpClient http, string url)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                return await http.GetStringAsync(new Uri(url));
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}
