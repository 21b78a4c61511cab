using Caisson.Core.Errors;
using Caisson.Runtime.Network;

namespace Caisson.Tests.Runtime.Network;

public sealed class CniConfigListTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("caisson-cniconf-").FullName;

    [Fact]
    public void The_first_file_by_ordinal_name_is_used_and_other_extensions_are_ignored()
    {
        Write("20-second.conflist", List("second"));
        Write("10-first.conflist", List("first"));
        Write("00-notes.txt", "not a config");

        var list = CniConfigList.LoadFromDirectory(_directory);

        Assert.Equal("first", list.Name);
        Assert.Equal(Path.Combine(_directory, "10-first.conflist"), list.Source);
    }

    [Fact]
    public void A_single_plugin_conf_file_is_a_list_of_one()
    {
        Write("10-one.conf", """{"cniVersion":"0.4.0","name":"one","type":"bridge","bridge":"br9"}""");

        var list = CniConfigList.LoadFromDirectory(_directory);

        Assert.Equal(["bridge"], list.PluginTypes);
        Assert.Equal("0.4.0", list.CniVersion);
        Assert.Equal("br9", (string)list.Plugins[0]["bridge"]!);
    }

    [Fact]
    public void An_empty_or_missing_directory_is_a_failed_precondition_naming_it()
    {
        var error = Assert.Throws<FailedPreconditionException>(() => CniConfigList.LoadFromDirectory(_directory));
        Assert.Contains(_directory, error.Message, StringComparison.Ordinal);
        Assert.Throws<FailedPreconditionException>(() => CniConfigList.LoadFromDirectory(Path.Combine(_directory, "nope")));
    }

    [Theory]
    [InlineData("{", "not valid JSON", "truncated JSON")]
    [InlineData("[]", "not a JSON object", "an array")]
    [InlineData("""{"name":"n","plugins":[{"type":"bridge"}]}""", "\"cniVersion\" must be a non-empty string", "no version")]
    [InlineData("""{"cniVersion":"1.0.0","plugins":[{"type":"bridge"}]}""", "\"name\" must be a non-empty string", "no name")]
    [InlineData("""{"cniVersion":"1.0.0","name":"-bad","plugins":[{"type":"bridge"}]}""", "network name '-bad'", "a name starting with a dash")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","plugins":[]}""", "non-empty array", "no plugins")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","plugins":[{"type":"bridge"},{}]}""", "\"plugins[1].type\"", "a plugin without a type")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","plugins":[{"type":"../../bin/sh"}]}""", "plain executable name", "a type that is a path")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n","plugins":[7]}""", "plugins[0] is not an object", "a plugin that is a number")]
    [InlineData("""{"cniVersion":"1.0.0","name":"n"}""", "neither \"plugins\" nor \"type\"", "neither a list nor a plugin")]
    public void A_broken_configuration_is_an_invalid_argument_naming_the_file(string json, string expected, string description)
    {
        var path = Write("10-broken.conflist", json);

        var error = Assert.Throws<InvalidArgumentException>(() => CniConfigList.LoadFromDirectory(_directory));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{description}: {error.Message}");
    }

    [Fact]
    public void The_default_configuration_is_bridge_then_portmap_with_the_settings_given()
    {
        var path = DefaultCniConfig.Write(_directory, new DefaultCniConfigOptions { PodCidr = "10.99.0.0/16", IpamDataDirectory = "/tmp/ipam" });

        var list = CniConfigList.Load(path);

        Assert.Equal(Path.Combine(_directory, "10-caisson.conflist"), path);
        Assert.Equal(["bridge", "portmap"], list.PluginTypes);
        Assert.Equal("caisson", list.Name);
        var bridge = list.Plugins[0];
        Assert.Equal("caisson0", (string)bridge["bridge"]!);
        Assert.True((bool)bridge["isGateway"]! && (bool)bridge["ipMasq"]! && (bool)bridge["hairpinMode"]!);
        Assert.Equal("10.99.0.0/16", (string)bridge["ipam"]!["ranges"]![0]![0]!["subnet"]!);
        Assert.Equal("/tmp/ipam", (string)bridge["ipam"]!["dataDir"]!);
        Assert.Equal("0.0.0.0/0", (string)bridge["ipam"]!["routes"]![0]!["dst"]!);
        Assert.True((bool)list.Plugins[1]["capabilities"]!["portMappings"]!);
    }

    [Theory]
    [InlineData("10.88.0.0", "no prefix")]
    [InlineData("10.88.0.1/16", "host bits set")]
    [InlineData("fd00::/64", "IPv6")]
    [InlineData("10.88.0.0/31", "too small")]
    public void The_default_configuration_refuses_a_bad_pod_cidr(string cidr, string description)
    {
        var error = Assert.Throws<InvalidArgumentException>(() =>
            DefaultCniConfig.Write(_directory, new DefaultCniConfigOptions { PodCidr = cidr }));
        Assert.True(error.Message.Contains(cidr, StringComparison.Ordinal), description);
        Assert.Empty(Directory.EnumerateFiles(_directory));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string List(string name) =>
        $$"""{"cniVersion":"1.0.0","name":"{{name}}","plugins":[{"type":"bridge"}]}""";

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
