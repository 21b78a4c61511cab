using Caisson.Api.Cri;
using Caisson.Tests.Runtime.Network;

namespace Caisson.Tests.Cli.Containers;

/// <summary>caisson run in the foreground against a real caissond: output, exit code, --rm, Ctrl-C, pull, options.</summary>
[Trait("Category", "Integration")]
[Trait("Category", "Privileged")]
[Collection(CniTestCollection.Name)]
public sealed class ForegroundRunTests(ContainerCliFixture fixture) : IClassFixture<ContainerCliFixture>
{
    private readonly CliHarness _cli = fixture.Cli;

    [Fact]
    public async Task PrintsTheOutputReturnsTheExitCodeAndRmLeavesNothing()
    {
        var result = await _cli.RunAsync("run", "--rm", "--name", "once", fixture.Image, "sh", "-c", "echo one; echo two >&2; printf 'no newline'; exit 7");

        Assert.True(result.ExitCode == 7, result.ToString());
        Assert.Equal("one\nno newline\n", result.Out);
        Assert.Equal("two\n", result.Error);
        Assert.DoesNotContain((await fixture.Daemon.Runtime.ListContainersAsync(new ListContainersRequest())).Containers, c => c.Metadata.Name == "once");
        Assert.DoesNotContain((await fixture.Daemon.Runtime.ListPodSandboxAsync(new ListPodSandboxRequest())).Items, p => p.Metadata.Name == "once");
        Assert.False(Directory.Exists(Path.Combine(fixture.Daemon.Root, "pod-logs")) && Directory.GetDirectories(Path.Combine(fixture.Daemon.Root, "pod-logs"), "caisson_once_*").Length > 0);
    }

    [Fact]
    public async Task DetachedWithRmTheDaemonRemovesThePodOnceTheContainerExits()
    {
        // It exits once the test has seen it running: when a file appears in its volume.
        var gate = Directory.CreateDirectory(Path.Combine(fixture.Daemon.Directory, $"fleeting-gate-{Guid.NewGuid():N}")).FullName;
        var result = await _cli.RunAsync("run", "-d", "--rm", "--name", "fleeting", "-v", $"{gate}:/gate", fixture.Image,
            "sh", "-c", "until [ -e /gate/go ]; do sleep 0.1; done; exit 3");
        Assert.True(result.ExitCode == 0, result.ToString());
        // Until it exits, it is an ordinary running container.
        Assert.Matches(@"fleeting\s+fleeting
", (await _cli.RunAsync("ps")).Out);
        await File.WriteAllTextAsync(Path.Combine(gate, "go"), "");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await fixture.Daemon.Runtime.ListPodSandboxAsync(new ListPodSandboxRequest())).Items.Any(p => p.Metadata.Name == "fleeting"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the pod of an exited -d --rm container is still there after 30 s");
            await Task.Delay(100);
        }

        Assert.DoesNotContain((await fixture.Daemon.Runtime.ListContainersAsync(new ListContainersRequest())).Containers, c => c.Metadata.Name == "fleeting");
    }

    [Fact]
    public async Task WithoutRmTheExitedContainerStays()
    {
        var result = await _cli.RunAsync("run", "--name", "kept", fixture.Image, "true");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"kept\s+kept\n", (await _cli.RunAsync("ps", "-a")).Out);
        Assert.Equal(0, (await _cli.RunAsync("rm", "kept")).ExitCode);
    }

    [Theory]
    [InlineData("environment, user, group and working directory",
        "-e A=1 -e B -u 1234:5678 -w /tmp", "sh|-c|echo $A-$B $(id -u) $(id -g) $(pwd)", "1-from-the-shell 1234 5678 /tmp\n")]
    [InlineData("--entrypoint replaces the image's, the words after IMAGE are its arguments",
        "--entrypoint /bin/echo", "hello|world", "hello world\n")]
    [InlineData("a user name is looked up in the image", "-u tester", "id", "uid=1000(tester) gid=1000(testers) groups=1000(testers),1001(extras)\n")]
    [InlineData("--hostname", "--hostname box.example", "hostname", "box.example\n")]
    public async Task OptionsReachTheContainer(string description, string options, string command, string expected)
    {
        var harness = new CliHarness { SocketPath = fixture.Daemon.SocketPath, Time = TimeProvider.System, Environment = { ["B"] = "from-the-shell" } };

        var result = await harness.RunAsync(["run", "--rm", .. options.Split(' '), fixture.Image, .. command.Split('|')]);

        Assert.True(result.ExitCode == 0 && result.Out == expected, $"{description}: {result}");
    }

    [Fact]
    public async Task PullsAMissingImageAndShowsThePullOnStderr()
    {
        var result = await _cli.RunAsync("run", "--rm", fixture.UnpulledImage, "echo", "pulled and ran");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("pulled and ran\n", result.Out);
        Assert.StartsWith($"Unable to find image '{fixture.UnpulledImage}' locally\n", result.Error, StringComparison.Ordinal);
        Assert.Contains(": done", result.Error, StringComparison.Ordinal);
        Assert.Contains($"Pulled {fixture.UnpulledImage} (", result.Error, StringComparison.Ordinal);

        var never = await _cli.RunAsync("run", "--rm", "--pull", "never", $"{fixture.Registry.Host}/cli/not:here", "true");
        Assert.Equal(1, never.ExitCode);
        Assert.Equal($"caisson: image {fixture.Registry.Host}/cli/not:here is not in the store, and --pull never forbids pulling it", never.Error.Trim());
    }

    [Fact]
    public async Task CtrlCStopsTheContainerAndStillRemovesIt()
    {
        using var interrupt = new CancellationTokenSource();
        var run = _cli.RunAsync(interrupt.Token, "run", "--rm", "--name", "interrupted", "--stop-timeout", "1", fixture.Image, "sh", "-c", "echo started; exec sleep 1000");
        await Eventually.GetAsync(
            async () => (await fixture.Daemon.Runtime.ListContainersAsync(new ListContainersRequest())).Containers.Any(c => c.Metadata.Name == "interrupted" && c.State == ContainerState.ContainerRunning),
            running => running, "the container to start");
        await interrupt.CancelAsync();

        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        // sleep is pid 1 and ignores SIGTERM: the SIGKILL after --stop-timeout ends it.
        Assert.True(result.ExitCode == 137, result.ToString());
        Assert.Equal("started\n", result.Out);
        Assert.Contains("caisson: stopping interrupted", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain((await fixture.Daemon.Runtime.ListContainersAsync(new ListContainersRequest())).Containers, c => c.Metadata.Name == "interrupted");
    }

    [Fact]
    public async Task APublishedPortAnswersOnTheHost()
    {
        // Below the kernel's ephemeral range (32768 and up), where other tests' loopback servers take their ports.
        var hostPort = 29000 + fixture.Network.Number;
        var run = await _cli.RunAsync("run", "-d", "--name", "web", "-p", $"{hostPort}:8080", fixture.Image,
            "sh", "-c", "mkdir /www && echo served from the pod > /www/index.html && exec busybox httpd -f -p 8080 -h /www");
        Assert.True(run.ExitCode == 0, run.ToString());

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var body = await Eventually.GetAsync(
            async () =>
            {
                try
                {
                    return await http.GetStringAsync(new Uri($"http://127.0.0.1:{hostPort}/index.html"));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    return e.Message;
                }
            },
            text => text == "served from the pod\n", "an answer on the published port");

        Assert.Equal("served from the pod\n", body);
        Assert.Equal(0, (await _cli.RunAsync("rm", "-f", "web")).ExitCode);
    }
}
