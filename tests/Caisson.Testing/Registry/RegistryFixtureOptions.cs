namespace Caisson.Testing.Registry;

/// <summary>How a <see cref="RegistryFixture"/> registry is set up.</summary>
public sealed record RegistryFixtureOptions
{
    /// <summary>
    /// Require HTTP basic auth with these credentials (an htpasswd file made with <c>htpasswd -Bbn</c>).
    /// distribution 2.8 serves htpasswd auth over plain HTTP too (its docs say TLS, it does not enforce it; a test
    /// checks this), so this does not turn on <see cref="Tls"/>.
    /// </summary>
    public RegistryCredentials? BasicAuth { get; init; }

    /// <summary>Serve HTTPS with a certificate from a fresh <see cref="TestCertificateAuthority"/>.</summary>
    public bool Tls { get; init; }

    /// <summary>How long the registry may take to answer GET /v2/.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
