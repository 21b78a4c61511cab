using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Caisson.Testing.FaultRegistry;

/// <summary>A throwaway CA that issues server certificates, for TLS tests against <see cref="FaultInjectingRegistry"/>.</summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly ECDsa key;

    private TestCertificateAuthority(ECDsa key, X509Certificate2 certificate)
    {
        this.key = key;
        Certificate = certificate;
    }

    public X509Certificate2 Certificate { get; }

    public static TestCertificateAuthority Create(string name = "Caisson Test CA")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return new TestCertificateAuthority(key, request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1)));
    }

    /// <summary>The CA certificate in PEM, as a registry CA file holds it.</summary>
    public string ExportPem() => Certificate.ExportCertificatePem();

    /// <summary>A server certificate (with its private key) for the given IP addresses and DNS names.</summary>
    public X509Certificate2 IssueServerCertificate(params string[] names)
    {
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names[0]}", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (IPAddress.TryParse(name, out var ip))
                san.AddIpAddress(ip);
            else
                san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));

        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(key), now.AddHours(-1), now.AddHours(12), serial);
        using var withKey = issued.CopyWithPrivateKey(serverKey);
        // Kestrel wants a key it can use from any thread; a PKCS#12 round trip gives a plain, exportable one.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        key.Dispose();
    }
}
