using Caisson.Api.Cri;
using Caisson.Core.Errors;
using Caisson.Core.Oci;
using Caisson.Runtime.Oci;
using Google.Protobuf;

namespace Caisson.Tests.Runtime.Oci;

public sealed class ProcessArgumentsTests
{
    public static TheoryData<string, string[], string[], string[]?, string[]?, string[]> ArgvCases() => new()
    {
        { "image entrypoint and cmd", [], [], ["/entry"], ["cmd"], ["/entry", "cmd"] },
        { "cri args replace cmd only", [], ["a1"], ["/entry"], ["cmd"], ["/entry", "a1"] },
        { "cri command drops entrypoint and cmd", ["/cri"], [], ["/entry"], ["cmd"], ["/cri"] },
        { "cri command and args", ["/cri"], ["a1", "a2"], ["/entry"], ["cmd"], ["/cri", "a1", "a2"] },
        { "only cmd", [], [], null, ["/bin/sh", "-c", "x"], ["/bin/sh", "-c", "x"] },
        { "entrypoint of empty string means none", [], [], [""], ["/bin/true"], ["/bin/true"] },
        { "cri args without any image defaults", [], ["/bin/echo", "hi"], null, null, ["/bin/echo", "hi"] },
    };

    [Theory]
    [MemberData(nameof(ArgvCases))]
    public void ArgvFollowsTheCriRules(string description, string[] command, string[] args, string[]? entrypoint, string[]? cmd, string[] expected)
    {
        var config = new ContainerConfig();
        config.Command.AddRange(command);
        config.Args.AddRange(args);
        var argv = ProcessArguments.Args(config, new ContainerDefaults { Entrypoint = entrypoint, Cmd = cmd });
        Assert.True(expected.SequenceEqual(argv), $"{description}: got [{string.Join(", ", argv)}]");
    }

    [Fact]
    public void NoCommandAnywhereIsRefusedNamingTheField()
    {
        var error = Assert.Throws<InvalidArgumentException>(() => ProcessArguments.Args(new ContainerConfig(), new ContainerDefaults()));
        Assert.Contains("command", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnvironmentMergesImageThenCriInPlaceAndAddsPath()
    {
        var config = new ContainerConfig();
        config.Envs.Add(new KeyValue { Key = "A", Value = ByteString.CopyFromUtf8("from-cri") });
        config.Envs.Add(new KeyValue { Key = "C", Value = ByteString.CopyFromUtf8("é=1") });
        var env = ProcessArguments.Environment(config, new ContainerDefaults { Env = ["A=image", "B=image"] }, "h1");
        Assert.Equal(["HOSTNAME=h1", "A=from-cri", "B=image", "C=é=1", ProcessArguments.DefaultPath], env);
    }

    [Fact]
    public void ImagePathIsKept()
    {
        var env = ProcessArguments.Environment(new ContainerConfig(), new ContainerDefaults { Env = ["PATH=/only"] }, null);
        Assert.Equal(["PATH=/only"], env);
    }

    [Theory]
    [InlineData("bad=name")]
    [InlineData("")]
    public void InvalidEnvNamesAreRefused(string key)
    {
        var config = new ContainerConfig();
        config.Envs.Add(new KeyValue { Key = key, Value = ByteString.CopyFromUtf8("v") });
        var error = Assert.Throws<InvalidArgumentException>(() => ProcessArguments.Environment(config, null, null));
        Assert.StartsWith("envs:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cri wins", "/cri", "/img", "/cri")]
    [InlineData("image when cri empty", "", "/img", "/img")]
    [InlineData("root when neither", "", null, "/")]
    public void WorkingDirectory(string description, string cri, string? image, string expected)
    {
        var cwd = ProcessArguments.WorkingDirectory(new ContainerConfig { WorkingDir = cri }, new ContainerDefaults { WorkingDir = image });
        Assert.True(expected == cwd, description);
    }

    [Fact]
    public void RelativeWorkingDirectoryIsRefused() =>
        Assert.Contains("working_dir", Assert.Throws<InvalidArgumentException>(
            () => ProcessArguments.WorkingDirectory(new ContainerConfig { WorkingDir = "rel" }, null)).Message, StringComparison.Ordinal);
}
