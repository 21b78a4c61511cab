using Caisson.Api.Cri;
using Caisson.Cli.Containers;

namespace Caisson.Tests.Cli.Containers;

public sealed class RunConfigsTests
{
    private static readonly ImageDefaults Nginx = new(["/docker-entrypoint.sh"], ["nginx", "-g", "daemon off;"]);

    [Theory]
    [InlineData("nothing given: the image's entrypoint and cmd", null, "", "", "", "/docker-entrypoint.sh|nginx|-g|daemon off;")]
    [InlineData("arguments replace only the cmd", null, "nginx|-T", "", "nginx|-T", "/docker-entrypoint.sh|nginx|-T")]
    [InlineData("--entrypoint replaces the entrypoint and drops the cmd", "/bin/sh", "", "/bin/sh", "", "/bin/sh")]
    [InlineData("--entrypoint with arguments", "/bin/sh", "-c|ls", "/bin/sh", "-c|ls", "/bin/sh|-c|ls")]
    [InlineData("--entrypoint \"\" runs the arguments alone", "", "ls|-l", "ls|-l", "", "ls|-l")]
    public void CommandFollowsDockersRules(string description, string? entrypoint, string arguments, string criCommand, string criArgs, string effective)
    {
        var options = new RunOptions { Image = "nginx", Entrypoint = entrypoint, Arguments = Split(arguments) };

        var config = RunConfigs.Container(options, "web", Nginx);

        Assert.True(string.Join('|', config.Command) == criCommand, $"{description}: command {string.Join('|', config.Command)}");
        Assert.True(string.Join('|', config.Args) == criArgs, $"{description}: args {string.Join('|', config.Args)}");
        Assert.True(string.Join('|', RunConfigs.EffectiveCommand(options, Nginx)) == effective, description);
        Assert.Equal(Split(effective), ContainerText.CommandOf(config.Annotations));
    }

    [Fact]
    public void TheContainerIsMarkedAsTheClisAndLogsUnderItsName()
    {
        var security = new LinuxContainerSecurityContext { RunAsUser = new Int64Value { Value = 7 } };
        var options = new RunOptions
        {
            Image = "busybox",
            WorkingDirectory = "/tmp",
            Security = security,
            Mounts = [new Mount { HostPath = "/srv", ContainerPath = "/data" }],
            Environment = [new KeyValue { Key = "A", Value = Google.Protobuf.ByteString.CopyFromUtf8("1") }],
        };

        var config = RunConfigs.Container(options, "box", ImageDefaults.None);

        Assert.Equal("box", config.Metadata.Name);
        Assert.Equal("busybox", config.Image.Image);
        Assert.Equal("box/0.log", config.LogPath);
        Assert.Equal("run", config.Labels["io.caisson.cli"]);
        Assert.Equal("/tmp", config.WorkingDir);
        Assert.Equal(7, config.Linux.SecurityContext.RunAsUser.Value);
        Assert.NotSame(security, config.Linux.SecurityContext);
        Assert.Equal("/data", Assert.Single(config.Mounts).ContainerPath);
        Assert.Equal("A", Assert.Single(config.Envs).Key);
    }

    [Fact]
    public void ThePodIsNamedAfterTheContainerWithItsPortsAndLogDirectory()
    {
        var options = new RunOptions { Image = "nginx", Ports = PortPublishing.Parse("8080:80") };

        var pod = RunConfigs.Pod(options, "my_web", "0123abcd", "/var/lib/caisson");

        Assert.Equal("my-web", pod.Metadata.Name);
        Assert.Equal("caisson", pod.Metadata.Namespace);
        Assert.Equal("0123abcd", pod.Metadata.Uid);
        Assert.Equal("my-web", pod.Hostname);
        Assert.Equal("/var/lib/caisson/pod-logs/caisson_my-web_0123abcd", pod.LogDirectory);
        Assert.Equal(8080, Assert.Single(pod.PortMappings).HostPort);
        Assert.Equal("run", pod.Labels["io.caisson.cli"]);
    }

    [Theory]
    [InlineData("both", """{"config":{"Entrypoint":["/e"],"Cmd":["c","d"]}}""", "/e", "c|d")]
    [InlineData("an entrypoint of [\"\"] is none", """{"config":{"Entrypoint":[""],"Cmd":["sh"]}}""", "", "sh")]
    [InlineData("null fields", """{"config":{"Entrypoint":null,"Cmd":null}}""", "", "")]
    [InlineData("no config section", """{"architecture":"amd64"}""", "", "")]
    [InlineData("not JSON", "{oops", "", "")]
    [InlineData("empty", "", "", "")]
    public void ImageDefaultsComeFromTheConfig(string description, string json, string entrypoint, string cmd)
    {
        var defaults = ImageDefaults.Parse(json);

        Assert.True(string.Join('|', defaults.Entrypoint) == entrypoint && string.Join('|', defaults.Cmd) == cmd, description);
    }

    private static string[] Split(string words) => words.Split('|', StringSplitOptions.RemoveEmptyEntries);
}
