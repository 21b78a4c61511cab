namespace Caisson.Images.Distribution;

/// <summary>Connection and credential settings for one registry or mirror host.</summary>
public sealed class RegistryHostOptions
{
    /// <summary>Speak plain HTTP instead of HTTPS (a local registry, or a mirror on 127.0.0.1).</summary>
    public bool PlainHttp { get; set; }

    /// <summary>Accept any TLS certificate. For test setups only.</summary>
    public bool SkipVerify { get; set; }

    /// <summary>A PEM (or DER) file with the CA certificates that the host's chain must lead to, instead of the system roots.</summary>
    public string? CaFile { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>A refresh token from <c>docker login</c>, exchanged at the token server for access tokens.</summary>
    public string? IdentityToken { get; set; }

    internal bool HasTlsSettings => SkipVerify || !string.IsNullOrEmpty(CaFile);

    internal RegistryCredentials? Credentials =>
        string.IsNullOrEmpty(Username) && string.IsNullOrEmpty(IdentityToken)
            ? null
            : new RegistryCredentials(Username, Password, IdentityToken, null);
}
