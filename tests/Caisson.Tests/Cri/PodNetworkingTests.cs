using System.Net;
using Caisson.Api.Cri;
using Caisson.Tests.Runtime.Network;

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
    private CriTestDaemon _stack = null!;

    public async Task InitializeAsync() => _stack = await CriTestDaemon.StartAsync("networking/busybox:v1");

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task AWebServerAnswersOnThePodIpAndOnItsHostPortUntilThePodStops()
    {
        var hostPort = 32000 + _stack.Network.Number;
        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = "web", Namespace = "caisson-test", Uid = "uid-web" },
            Hostname = "web",
            PortMappings = { new PortMapping { Protocol = Protocol.Tcp, ContainerPort = ContainerPort, HostPort = hostPort } },
        };
        var sandbox = (await _stack.Runtime.RunPodSandboxAsync(new RunPodSandboxRequest { Config = config })).PodSandboxId;
        var container = (await _stack.Runtime.CreateContainerAsync(new CreateContainerRequest
        {
            PodSandboxId = sandbox,
            SandboxConfig = config,
            Config = new ContainerConfig
            {
                Metadata = new ContainerMetadata { Name = "httpd" },
                Image = new ImageSpec { Image = _stack.Image },
                Command = { "/bin/sh", "-c", $"mkdir -p /www && echo served by $(hostname) > /www/index.html && exec /bin/busybox httpd -f -p {ContainerPort} -h /www" },
            },
        })).ContainerId;
        await _stack.Runtime.StartContainerAsync(new StartContainerRequest { ContainerId = container });

        var status = (await _stack.Runtime.PodSandboxStatusAsync(new PodSandboxStatusRequest { PodSandboxId = sandbox })).Status;
        var podIp = IPAddress.Parse(status.Network.Ip);
        Assert.True(_stack.Network.Subnet.Contains(podIp), $"pod IP {podIp} is outside the test network {_stack.Network.Subnet}");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        Assert.Equal("served by web\n", await GetWithRetryAsync(http, $"http://{podIp}:{ContainerPort}/"));
        Assert.Equal("served by web\n", await GetWithRetryAsync(http, $"http://127.0.0.1:{hostPort}/"));

        await _stack.Runtime.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = sandbox });
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
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}
