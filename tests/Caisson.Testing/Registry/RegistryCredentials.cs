using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Caisson.Testing.Registry;

/// <summary>A registry user name and password (HTTP basic auth).</summary>
public sealed record RegistryCredentials(string Username, string Password)
{
    /// <summary>A user "tester" with a fresh random password.</summary>
    public static RegistryCredentials Generate() =>
        new("tester", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));

    public AuthenticationHeaderValue ToBasicHeader() =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}")));

    public override string ToString() => $"{Username}:***";
}
