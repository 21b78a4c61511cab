using System.Text;
using Caisson.Daemon.Http2;

namespace Caisson.Tests.Daemon.Http2;

public sealed class HostAuthorityTests
{
    [Theory]
    [InlineData("name", "localhost", true)]
    [InlineData("name and port", "localhost:10010", true)]
    [InlineData("dotted name with dash and underscore", "my-host_1.example.com", true)]
    [InlineData("IPv4 and port", "127.0.0.1:80", true)]
    [InlineData("IPv6 literal", "[::1]", true)]
    [InlineData("IPv6 literal and port", "[fe80::1:2]:443", true)]
    [InlineData("socket path as grpc-go sends it", "/run/caisson/caisson.sock", false)]
    [InlineData("relative socket path", "caisson.sock/", false)]
    [InlineData("unix URI", "unix:///run/caisson/caisson.sock", false)]
    [InlineData("empty", "", false)]
    [InlineData("port only", ":80", false)]
    [InlineData("empty port", "localhost:", false)]
    [InlineData("port too long", "localhost:123456", false)]
    [InlineData("port with letters", "localhost:http", false)]
    [InlineData("space", "local host", false)]
    [InlineData("user info", "user@localhost", false)]
    [InlineData("unclosed bracket", "[::1", false)]
    [InlineData("empty brackets", "[]", false)]
    [InlineData("text after brackets", "[::1]x", false)]
    [InlineData("two colons without brackets", "::1", false)]
    [InlineData("non-ASCII", "h\u00f6st", false)]
    public void Accepts_only_plain_host_and_port(string description, string authority, bool valid)
    {
        Assert.False(string.IsNullOrEmpty(description));
        Assert.Equal(valid, HostAuthority.IsValid(Encoding.UTF8.GetBytes(authority)));
    }
}
