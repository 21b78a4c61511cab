using Caisson.Api.Cri;
using Caisson.Cli.Containers;
using Caisson.Core.Errors;

namespace Caisson.Tests.Cli.Containers;

/// <summary>-e and -u as `caisson run` reads them.</summary>
public sealed class RunOptionValueTests
{
    private static readonly Dictionary<string, string> Shell = new() { ["HOME"] = "/root", ["EMPTY"] = "" };

    [Theory]
    [InlineData("name and value", "A=1", "A=1")]
    [InlineData("value with '='", "URL=a=b", "URL=a=b")]
    [InlineData("empty value", "A=", "A=")]
    [InlineData("name alone takes the shell's value", "HOME", "HOME=/root")]
    [InlineData("the shell's empty value is still passed", "EMPTY", "EMPTY=")]
    [InlineData("name alone, unset in the shell: nothing", "UNSET", "")]
    public void Environment(string description, string value, string expected)
    {
        var variable = EnvironmentVariables.Parse(value, name => Shell.GetValueOrDefault(name));

        var text = variable is null ? "" : $"{variable.Key}={variable.Value.ToStringUtf8()}";
        Assert.True(text == expected, $"{description}: got {text}");
    }

    [Theory]
    [InlineData("=1")]
    [InlineData("A B=1")]
    public void EnvironmentNeedsAName(string value)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => EnvironmentVariables.Parse(value, _ => null));

        Assert.StartsWith($"-e {value}: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("is not a variable name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("numeric user", "1000", "uid=1000")]
    [InlineData("numeric user and group", "1000:2000", "uid=1000 gid=2000")]
    [InlineData("user name", "nobody", "user=nobody")]
    [InlineData("user name and numeric group", "nobody:0", "user=nobody gid=0")]
    public void User(string description, string value, string expected)
    {
        var security = new LinuxContainerSecurityContext();

        UserSpec.Apply(value, security);

        var parts = new List<string>();
        if (security.RunAsUser is { } uid) parts.Add($"uid={uid.Value}");
        if (security.RunAsUsername.Length > 0) parts.Add($"user={security.RunAsUsername}");
        if (security.RunAsGroup is { } gid) parts.Add($"gid={gid.Value}");
        Assert.True(string.Join(' ', parts) == expected, $"{description}: got {string.Join(' ', parts)}");
    }

    [Theory]
    [InlineData("group name", "app:staff", "-u app:staff: the group must be a numeric id; a group name cannot be passed to the runtime")]
    [InlineData("no user", ":100", "-u :100: the user is missing (want USER[:GROUP])")]
    public void UserRefusals(string description, string value, string expected)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => UserSpec.Apply(value, new LinuxContainerSecurityContext()));

        Assert.True(error.Message == expected, $"{description}: got {error.Message}");
    }
}
