using System.Text.Json.Nodes;
using Caisson.Core.Errors;
using Caisson.Runtime.Network;
using Microsoft.Extensions.Logging.Abstractions;

namespace Caisson.Tests.Runtime.Network;

/// <summary>The execution protocol, against small shell-script plugins that record what they were given.</summary>
public sealed class CniInvokerTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("caisson-cniinvoke-").FullName;
    private readonly string _bin;
    private readonly string _log;

    public CniInvokerTests()
    {
        _bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        _log = Path.Combine(_root, "calls");
    }

    [Fact]
    public async Task Add_chains_results_sets_the_environment_and_hands_port_mappings_only_to_capable_plugins()
    {
        Recorder("first", """{"cniVersion":"1.0.0","ips":[{"address":"10.1.2.3/24","gateway":"10.1.2.1","interface":0}],"interfaces":[{"name":"eth0","sandbox":"/run/x"}]}""");
        Recorder("second", null);
        var list = CniConfigList.Parse("""
            {"cniVersion":"1.0.0","name":"net","plugins":[
              {"type":"first","name":"ignored","cniVersion":"0.1.0"},
              {"type":"second","capabilities":{"portMappings":true}}]}
            """, "test");

        var result = await Invoker().AddListAsync(list, Invocation(), PortMapping.RuntimeConfig([new PortMapping(8080, 80)]), default);

        Assert.Equal("10.1.2.3", result.Ips.Single().Address.ToString());
        Assert.Equal(24, result.Ips[0].PrefixLength);
        Assert.Equal("10.1.2.1", result.Ips[0].Gateway!.ToString());
        var calls = Calls();
        Assert.Equal(["first ADD", "second ADD"], calls.Select(c => $"{c.Type} {c.Command}"));
        var (first, second) = (calls[0], calls[1]);
        Assert.Equal("net", (string)first.Stdin["name"]!);
        Assert.Equal("1.0.0", (string)first.Stdin["cniVersion"]!);
        Assert.Null(first.Stdin["prevResult"]);
        Assert.Null(first.Stdin["runtimeConfig"]);
        Assert.Equal("10.1.2.3/24", (string)second.Stdin["prevResult"]!["ips"]![0]!["address"]!);
        Assert.Equal(8080, (int)second.Stdin["runtimeConfig"]!["portMappings"]![0]!["hostPort"]!);
        Assert.Equal("sandbox-1|/run/x|eth0|IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=pod;K8S_POD_INFRA_CONTAINER_ID=sandbox-1", first.Environment);
    }

    [Fact]
    public async Task Del_runs_the_plugins_in_reverse_with_the_add_result()
    {
        Recorder("first", null);
        Recorder("second", null);
        var list = CniConfigList.Parse("""{"cniVersion":"1.0.0","name":"net","plugins":[{"type":"first"},{"type":"second"}]}""", "test");
        var addResult = JsonNode.Parse("""{"cniVersion":"1.0.0","ips":[{"address":"10.1.2.3/24"}]}""")!.AsObject();

        await Invoker().DeleteListAsync(list, Invocation(), new JsonObject(), addResult, default);

        var calls = Calls();
        Assert.Equal(["second DEL", "first DEL"], calls.Select(c => $"{c.Type} {c.Command}"));
        Assert.All(calls, c => Assert.Equal("10.1.2.3/24", (string)c.Stdin["prevResult"]!["ips"]![0]!["address"]!));
    }

    [Fact]
    public async Task Del_skips_a_plugin_that_is_missing_and_runs_the_rest()
    {
        Recorder("first", null);
        var list = CniConfigList.Parse("""{"cniVersion":"1.0.0","name":"net","plugins":[{"type":"first"},{"type":"gone"}]}""", "test");

        await Invoker().DeleteListAsync(list, Invocation(), new JsonObject(), null, default);

        Assert.Equal(["first DEL"], Calls().Select(c => $"{c.Type} {c.Command}"));
    }

    [Theory]
    [InlineData("""{"cniVersion":"1.0.0","code":7,"msg":"bad config","details":"field x"}""", ErrorKind.InvalidArgument, "bad config: field x (CNI error code 7)", "the spec's error object")]
    [InlineData("""{"cniVersion":"1.0.0","code":11,"msg":"busy"}""", ErrorKind.Unavailable, "busy (CNI error code 11)", "try again later")]
    [InlineData("""{"code":3,"msg":"no such container"}""", ErrorKind.NotFound, "no such container (CNI error code 3)", "unknown container")]
    [InlineData("panic: oops", ErrorKind.Internal, "exit code 1: panic: oops", "output that is not JSON")]
    public async Task A_failing_plugin_becomes_an_error_naming_it(string stdout, ErrorKind kind, string expected, string description)
    {
        Plugin("broken", $"cat >/dev/null; printf '%s' '{stdout}'; exit 1");

        var error = await Assert.ThrowsAsync<CaissonException>(() => Invoker().ExecuteAsync(
            CniCommand.Add, JsonNode.Parse("""{"type":"broken"}""")!.AsObject(), Invocation(), default));

        Assert.Equal(kind, error.Kind);
        Assert.StartsWith($"CNI plugin 'broken' ({Path.Combine(_bin, "broken")}) ADD failed", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.EndsWith(expected, StringComparison.Ordinal), $"{description}: {error.Message}");
    }

    [Fact]
    public async Task A_plugin_that_hangs_is_killed_at_the_timeout()
    {
        var pidFile = Path.Combine(_root, "pid");
        Plugin("slow", $"echo $$ > {pidFile}; exec sleep 30");
        // Long enough for the shell to write its pid first, even on a loaded machine.
        var invoker = new CniInvoker([_bin], TimeSpan.FromSeconds(3), NullLogger.Instance);

        var error = await Assert.ThrowsAsync<CaissonException>(() => invoker.ExecuteAsync(
            CniCommand.Add, JsonNode.Parse("""{"type":"slow"}""")!.AsObject(), Invocation(), default));

        Assert.Equal(ErrorKind.DeadlineExceeded, error.Kind);
        Assert.Contains("'slow'", error.Message, StringComparison.Ordinal);
        var pid = File.ReadAllText(pidFile).Trim();
        for (var wait = 0; wait < 40 && Directory.Exists($"/proc/{pid}"); wait++)
            await Task.Delay(50);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"plugin process {pid} still exists");
    }

    [Fact]
    public async Task The_first_plugin_directory_holding_the_plugin_wins_and_a_missing_plugin_is_named()
    {
        var other = Directory.CreateDirectory(Path.Combine(_root, "other")).FullName;
        Recorder("first", null);
        File.WriteAllText(Path.Combine(other, "first"), "#!/bin/sh\nexit 9\n");
        File.SetUnixFileMode(Path.Combine(other, "first"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var invoker = new CniInvoker([_bin, other], TimeSpan.FromSeconds(10), NullLogger.Instance);

        Assert.Equal(Path.Combine(_bin, "first"), invoker.FindPlugin("first"));
        var error = Assert.Throws<FailedPreconditionException>(() => invoker.FindPlugin("absent"));
        Assert.Equal($"CNI plugin 'absent' not found in {_bin}, {other}", error.Message);
    }

    [Theory]
    [InlineData("a;b", "a semicolon")]
    [InlineData("a=b", "an equals sign")]
    public void Cni_args_refuse_values_that_would_split(string name, string description)
    {
        var invocation = new CniInvocation("id", "", "eth0", CniInvocation.KubernetesArguments("ns", name, "id"));
        var error = Assert.Throws<InvalidArgumentException>(invocation.FormatArguments);
        Assert.True(error.Message.Contains(name, StringComparison.Ordinal), description);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private CniInvoker Invoker() => new([_bin], TimeSpan.FromSeconds(10), NullLogger.Instance);

    private static CniInvocation Invocation() =>
        new("sandbox-1", "/run/x", "eth0", CniInvocation.KubernetesArguments("ns", "pod", "sandbox-1"));

    /// <summary>A plugin that appends its command, environment and stdin to the call log, then prints <paramref name="result"/>.</summary>
    private void Recorder(string type, string? result)
    {
        // Printing nothing passes the previous result on, which the invoker accepts.
        var print = result is null ? "" : $"printf '%s' '{result}'";
        Plugin(type, $"""
            in=$(mktemp); cat > "$in"
            {'{'} echo "{type} $CNI_COMMAND $CNI_CONTAINERID|$CNI_NETNS|$CNI_IFNAME|$CNI_ARGS"; cat "$in"; echo; {'}'} >> {_log}
            {print}
            rm -f "$in"
            """);
    }

    private void Plugin(string type, string body)
    {
        var path = Path.Combine(_bin, type);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private List<(string Type, string Command, string Environment, JsonObject Stdin)> Calls()
    {
        var lines = File.ReadAllLines(_log);
        var calls = new List<(string, string, string, JsonObject)>();
        for (var i = 0; i + 1 < lines.Length; i += 2)
        {
            var head = lines[i].Split(' ', 3);
            calls.Add((head[0], head[1], head[2], JsonNode.Parse(lines[i + 1])!.AsObject()));
        }

        return calls;
    }
}
