using Caisson.Core.Errors;
using Caisson.Images.Distribution;
using Caisson.Testing.FaultRegistry;
using static Caisson.Tests.Images.Distribution.DistributionTestKit;

namespace Caisson.Tests.Images.Distribution;

public sealed class TlsTests : IAsyncLifetime
{
    private readonly TestCertificateAuthority authority = TestCertificateAuthority.Create();
    private readonly string caFile = Path.Combine(Path.GetTempPath(), $"caisson-test-ca-{Guid.NewGuid():N}.pem");
    private FaultInjectingRegistry registry = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(caFile, authority.ExportPem());
        registry = await FaultInjectingRegistry.StartAsync(certificate: authority.IssueServerCertificate("127.0.0.1"));
        TestImage.Create().AddTo(registry, "library/test", "latest");
    }

    public async Task DisposeAsync()
    {
        await registry.DisposeAsync();
        authority.Dispose();
        File.Delete(caFile);
    }

    [Theory]
    [InlineData("custom CA file", true, false)]
    [InlineData("skip verify", false, true)]
    public async Task A_registry_with_a_private_CA_is_reachable_when_configured(string description, bool useCaFile, bool skipVerify)
    {
        var options = Options();
        options.Hosts[registry.Authority] = new RegistryHostOptions { CaFile = useCaFile ? caFile : null, SkipVerify = skipVerify };
        using var client = Client(options);

        var resolved = await client.ResolveAsync(Reference(registry), null, default);

        Assert.True(resolved.Endpoint == $"https://{registry.Authority}", description);
    }

    [Fact]
    public async Task An_untrusted_certificate_fails_at_once_naming_the_host()
    {
        var logger = new RecordingLogger();
        using var client = Client(Options(), logger);

        var error = await Assert.ThrowsAnyAsync<CaissonException>(() => client.ResolveAsync(Reference(registry), null, default));

        Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        Assert.Contains($"TLS with {registry.Authority} failed", error.Message);
        Assert.Single(logger.Lines, line => line.Contains("failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_CA_that_did_not_sign_the_certificate_is_not_trusted()
    {
        using var other = TestCertificateAuthority.Create("Someone Else");
        var otherFile = caFile + ".other";
        await File.WriteAllTextAsync(otherFile, other.ExportPem());
        try
        {
            var options = Options();
            options.Hosts[registry.Authority] = new RegistryHostOptions { CaFile = otherFile };
            using var client = Client(options);

            var error = await Assert.ThrowsAnyAsync<CaissonException>(() => client.ResolveAsync(Reference(registry), null, default));

            Assert.Equal(ErrorKind.FailedPrecondition, error.Kind);
        }
        finally
        {
            File.Delete(otherFile);
        }
    }
}
