using System.Text.Json;
using System.Text.RegularExpressions;
using Caisson.Tests.Runtime.Network;

namespace Caisson.Tests.Cli.Containers;

/// <summary>The docker-like verbs against a real caissond: run -d, ps, pods, logs, exec, inspect, stats, stop, rm.</summary>
[Trait("Category", "Integration")]
[Trait("Category", "Privileged")]
[Collection(CniTestCollection.Name)]
public sealed class ContainerCommandsTests(ContainerCliFixture fixture) : IClassFixture<ContainerCliFixture>
{
    private readonly CliHarness _cli = fixture.Cli;

    [Fact]
    public async Task PsShowsTheCommandOfAContainerAKubeletCreated()
    {
        // Created through CRI as the kubelet does: no annotation of caisson run's, the command only in the OCI spec.
        var pod = new Caisson.Api.Cri.PodSandboxConfig
        {
            Metadata = new Caisson.Api.Cri.PodSandboxMetadata { Name = "kubelets", Namespace = "kube-system", Uid = "uid-kubelets" },
        };
        var sandbox = (await fixture.Daemon.Runtime.RunPodSandboxAsync(new Caisson.Api.Cri.RunPodSandboxRequest { Config = pod })).PodSandboxId;
        var container = (await fixture.Daemon.Runtime.CreateContainerAsync(new Caisson.Api.Cri.CreateContainerRequest
        {
            PodSandboxId = sandbox,
            SandboxConfig = pod,
            Config = new Caisson.Api.Cri.ContainerConfig
            {
                Metadata = new Caisson.Api.Cri.ContainerMetadata { Name = "agent" },
                Image = new Caisson.Api.Cri.ImageSpec { Image = fixture.Image },
                Command = { "/bin/sleep" },
                Args = { "1000" },
            },
        })).ContainerId;
        try
        {
            var ps = await _cli.RunAsync("ps", "-a", "--no-trunc");
            var row = Assert.Single(ps.Out.Split('\n'), l => l.StartsWith(container, StringComparison.Ordinal));
            Assert.Contains("\"/bin/sleep 1000\"", row, StringComparison.Ordinal);
            using var json = JsonDocument.Parse((await _cli.RunAsync("ps", "-a", "-o", "json")).Out);
            var listed = Assert.Single(json.RootElement.EnumerateArray(), c => c.GetProperty("Id").GetString() == container);
            Assert.Equal(["/bin/sleep", "1000"], listed.GetProperty("Command").EnumerateArray().Select(e => e.GetString()));
        }
        finally
        {
            await fixture.Daemon.Runtime.RemovePodSandboxAsync(new Caisson.Api.Cri.RemovePodSandboxRequest { PodSandboxId = sandbox });
        }
    }

    [Fact]
    public async Task DetachedContainerThroughItsWholeLife()
    {
        var data = Directory.CreateTempSubdirectory("caisson-cli-volume-").FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "note.txt"), "from the host");

        var run = await _cli.RunAsync(
            "run", "-d", "--name", "life", "-e", "GREETING=hello", "-v", $"{data}:/data:ro", fixture.Image,
            "sh", "-c", "echo $GREETING; cat /data/note.txt; echo; echo oops >&2; touch /data/x 2>/dev/null || echo read-only; exec sleep 1000");

        Assert.True(run.ExitCode == 0, run.ToString());
        var id = run.Out.Trim();
        Assert.Matches("^[0-9a-f]{64}$", id);

        var ps = await _cli.RunAsync("ps");
        var row = Assert.Single(ps.Out.Split('\n'), l => l.StartsWith(id[..12], StringComparison.Ordinal));
        Assert.Matches($@"^{id[..12]}\s+{Regex.Escape(fixture.Image)}\s+""sh -c echo \$GREETIN…""\s+.+ ago\s+Up .+\s+life\s+life$", row);

        var logs = await Eventually.GetAsync(() => _cli.RunAsync("logs", "life"), r => r.Out.Contains("read-only", StringComparison.Ordinal), "the container's output");
        Assert.Equal("hello\nfrom the host\nread-only\n", logs.Out);
        Assert.Equal("oops\n", logs.Error);
        var tail = await _cli.RunAsync("logs", "--tail", "1", "-t", id[..10]);
        // The shim reads stdout and stderr separately, so which of the two last lines was logged last is not fixed.
        var last = Assert.Single((tail.Out + tail.Error).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z (read-only|oops)$", last);

        var exec = await _cli.RunAsync("exec", "life", "sh", "-c", "echo $GREETING from exec; ls /data; echo bad >&2; exit 3");
        Assert.Equal(3, exec.ExitCode);
        Assert.Equal("hello from exec\nnote.txt\n", exec.Out);
        Assert.Equal("bad\n", exec.Error);

        var refused = await _cli.RunAsync("rm", "life");
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("caisson: container life is running: stop it first (caisson stop life) or use caisson rm -f", refused.Error.Trim());

        var stop = await _cli.RunAsync("stop", "-t", "1", "life");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Equal("life\n", stop.Out);
        Assert.DoesNotContain(id[..12], (await _cli.RunAsync("ps")).Out, StringComparison.Ordinal);
        Assert.Matches($@"{id[..12]}.+Exited \(137\) .+ ago", (await _cli.RunAsync("ps", "-a")).Out);

        var rm = await _cli.RunAsync("rm", "life");
        Assert.True(rm.ExitCode == 0, rm.ToString());
        Assert.DoesNotContain(id[..12], (await _cli.RunAsync("ps", "-a")).Out, StringComparison.Ordinal);
        Assert.DoesNotContain("life", (await _cli.RunAsync("pods")).Out, StringComparison.Ordinal);
        Assert.Empty(LogDirectoriesOf("life"));
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task ListingsAsTablesAndJson()
    {
        var run = await _cli.RunAsync("run", "-d", "--name", "listed", fixture.Image, "sleep", "1000");
        Assert.True(run.ExitCode == 0, run.ToString());
        var id = run.Out.Trim();

        var ps = await _cli.RunAsync("ps", "-a");
        Assert.Matches(@"^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+POD\s+NAME\n", ps.Out);
        using (var json = JsonDocument.Parse((await _cli.RunAsync("ps", "-o", "json")).Out))
        {
            var container = Assert.Single(json.RootElement.EnumerateArray(), c => c.GetProperty("Id").GetString() == id);
            Assert.Equal("listed", container.GetProperty("Name").GetString());
            Assert.Equal("running", container.GetProperty("State").GetString());
            Assert.Equal(["sleep", "1000"], container.GetProperty("Command").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("caisson", container.GetProperty("PodNamespace").GetString());
            Assert.Equal("run", container.GetProperty("Labels").GetProperty("io.caisson.cli").GetString());
        }
        Assert.Contains(id[..12], (await _cli.RunAsync("ps", "-q")).Out.Split('\n'));

        var pods = await _cli.RunAsync("pods");
        Assert.Matches(@"^POD ID\s+NAME\s+NAMESPACE\s+STATE\s+CREATED\s+IP\s+RUNTIME\n", pods.Out);
        Assert.Matches($@"\n[0-9a-f]{{12}}\s+listed\s+caisson\s+Ready\s+.+ ago\s+10\.250\.{fixture.Network.Number}\.\d+\s+runc\n", pods.Out);
        string podId;
        using (var json = JsonDocument.Parse((await _cli.RunAsync("pods", "--output", "json")).Out))
        {
            var pod = Assert.Single(json.RootElement.EnumerateArray(), p => p.GetProperty("Name").GetString() == "listed");
            Assert.True(fixture.Network.Subnet.Contains(System.Net.IPAddress.Parse(pod.GetProperty("Ip").GetString()!)));
            podId = pod.GetProperty("Id").GetString()!;
        }

        var inspect = await _cli.RunAsync("inspect", "listed", podId[..8], fixture.Image);
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        using (var json = JsonDocument.Parse(inspect.Out))
        {
            var (container, pod, image) = (json.RootElement[0], json.RootElement[1], json.RootElement[2]);
            Assert.Equal("container", container.GetProperty("Type").GetString());
            Assert.Equal("CONTAINER_RUNNING", container.GetProperty("Status").GetProperty("state").GetString());
            Assert.Equal(podId, container.GetProperty("Info").GetProperty("info").GetProperty("sandboxID").GetString());
            Assert.Equal("pod", pod.GetProperty("Type").GetString());
            Assert.Equal("listed", pod.GetProperty("Status").GetProperty("metadata").GetProperty("name").GetString());
            Assert.StartsWith("sha256:", image.GetProperty("Id").GetString(), StringComparison.Ordinal);
        }

        var stats = await _cli.RunAsync("stats", "--no-stream", "listed");
        Assert.True(stats.ExitCode == 0, stats.ToString());
        Assert.Matches($@"^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE / LIMIT\s+MEM %\n{id[..12]}\s+listed\s+\d+\.\d\d%\s+[\d.]+[KMG]?i?B / [\d.]+[KMGT]iB\s+\d+\.\d\d%\n$", stats.Out);

        Assert.Equal(0, (await _cli.RunAsync("rm", "-f", "listed")).ExitCode);
        Assert.Empty(LogDirectoriesOf("listed"));
    }

    [Fact]
    public async Task FollowingLogsSurvivesARotationAndEndsWhenTheContainerExits()
    {
        // Half the ticks, then a pause until the test has rotated the log (a file in its volume says so), then the rest.
        var gate = Directory.CreateDirectory(Path.Combine(fixture.Daemon.Directory, $"ticker-gate-{Guid.NewGuid():N}")).FullName;
        var run = await _cli.RunAsync("run", "-d", "--name", "ticker", "-v", $"{gate}:/gate", fixture.Image, "sh", "-c",
            "i=0; while [ $i -lt 40 ]; do [ $i = 20 ] && until [ -e /gate/rotated ]; do sleep 0.05; done; echo tick $i; i=$((i+1)); sleep 0.02; done");
        Assert.True(run.ExitCode == 0, run.ToString());
        var id = run.Out.Trim();

        var follow = _cli.RunAsync("logs", "-f", "ticker");
        var status = (await fixture.Daemon.Runtime.ContainerStatusAsync(new Api.Cri.ContainerStatusRequest { ContainerId = id })).Status;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(File.Exists(status.LogPath) && File.ReadAllText(status.LogPath).Contains("tick 19", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the first 20 ticks did not reach the log in 30 s");
            await Task.Delay(50);
        }

        await Task.Delay(500); // the follower reads the first file to its end before it is renamed
        File.Move(status.LogPath, status.LogPath + ".1");
        await fixture.Daemon.Runtime.ReopenContainerLogAsync(new Api.Cri.ReopenContainerLogRequest { ContainerId = id });
        await File.WriteAllTextAsync(Path.Combine(gate, "rotated"), "");
        var logs = await follow.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.Equal(string.Concat(Enumerable.Range(0, 40).Select(i => $"tick {i}\n")), logs.Out);
        Assert.Equal(0, (await _cli.RunAsync("rm", id)).ExitCode);
    }

    [Theory]
    [InlineData("logs nosuch")]
    [InlineData("exec nosuch true")]
    [InlineData("stop nosuch")]
    [InlineData("rm nosuch")]
    [InlineData("stats --no-stream nosuch")]
    public async Task AnUnknownContainerIsOneClearLine(string commandLine)
    {
        var result = await _cli.RunAsync(commandLine.Split(' '));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("caisson: no such container: nosuch", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task ANameInUseIsRefused()
    {
        Assert.Equal(0, (await _cli.RunAsync("run", "-d", "--name", "taken", fixture.Image, "sleep", "1000")).ExitCode);

        var second = await _cli.RunAsync("run", "-d", "--name", "taken", fixture.Image, "true");

        Assert.Equal(1, second.ExitCode);
        Assert.Matches(@"^caisson: the name ""taken"" is already in use by [0-9a-f]{12}; remove that \(caisson rm taken\) or choose another --name$", second.Error.Trim());
        using (var json = JsonDocument.Parse((await _cli.RunAsync("ps", "-a", "-o", "json")).Out))
            Assert.Single(json.RootElement.EnumerateArray(), c => c.GetProperty("Name").GetString() == "taken");
        Assert.Equal(0, (await _cli.RunAsync("rm", "-f", "taken")).ExitCode);
    }

    private string[] LogDirectoriesOf(string podName)
    {
        var root = Path.Combine(fixture.Daemon.Root, "pod-logs");
        return Directory.Exists(root) ? Directory.GetDirectories(root, $"caisson_{podName}_*") : [];
    }
}
