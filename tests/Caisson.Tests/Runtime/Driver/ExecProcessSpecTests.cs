using System.Text.Json.Nodes;
using Caisson.Core.Errors;
using Caisson.Runtime.Driver;

namespace Caisson.Tests.Runtime.Driver;

public sealed class ExecProcessSpecTests : IDisposable
{
    private readonly string bundle = Directory.CreateTempSubdirectory("caisson-exec-spec-").FullName;

    public void Dispose() => Directory.Delete(bundle, recursive: true);

    [Fact]
    public void Keeps_the_containers_identity_and_replaces_only_the_arguments()
    {
        File.WriteAllText(Path.Combine(bundle, "config.json"), """
            {"ociVersion":"1.0.2","process":{"terminal":true,"consoleSize":{"height":24,"width":80},
             "user":{"uid":1000,"gid":1000,"additionalGids":[5]},"args":["/bin/sleep","1000"],"env":["PATH=/bin","A=1"],
             "cwd":"/work","capabilities":{"bounding":["CAP_CHOWN"],"effective":["CAP_CHOWN"],"permitted":["CAP_CHOWN"]},
             "noNewPrivileges":true,"apparmorProfile":"cri-default","oomScoreAdj":500,"selinuxLabel":"x"},"root":{"path":"rootfs"}}
            """);
        var process = JsonNode.Parse(ExecProcessSpec.Build("c1", bundle, ["/bin/echo", "hi there"]))!.AsObject();

        Assert.Equal(["/bin/echo", "hi there"], process["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.False(process["terminal"]!.GetValue<bool>());
        Assert.False(process.ContainsKey("consoleSize"));
        Assert.False(process.ContainsKey("oomScoreAdj"));
        Assert.Equal(1000, process["user"]!["uid"]!.GetValue<int>());
        Assert.Equal(5, process["user"]!["additionalGids"]![0]!.GetValue<int>());
        Assert.Equal("/work", process["cwd"]!.GetValue<string>());
        Assert.Equal("A=1", process["env"]![1]!.GetValue<string>());
        Assert.Equal("CAP_CHOWN", process["capabilities"]!["effective"]![0]!.GetValue<string>());
        Assert.True(process["noNewPrivileges"]!.GetValue<bool>());
        Assert.Equal("cri-default", process["apparmorProfile"]!.GetValue<string>());
        Assert.Equal("x", process["selinuxLabel"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("no config.json", null)]
    [InlineData("not JSON", "{")]
    [InlineData("no process section", """{"root":{"path":"rootfs"}}""")]
    public void A_bundle_without_a_usable_process_is_a_failed_precondition(string description, string? config)
    {
        if (config is not null)
            File.WriteAllText(Path.Combine(bundle, "config.json"), config);
        var error = Assert.Throws<FailedPreconditionException>(() => ExecProcessSpec.Build("c1", bundle, ["/bin/true"]));
        Assert.True(error.Message.Contains("container c1", StringComparison.Ordinal), description);
    }

    [Fact]
    public void An_empty_command_is_an_invalid_argument() =>
        Assert.Throws<InvalidArgumentException>(() => ExecProcessSpec.Build("c1", bundle, []));
}
