using System.Net;
using System.Net.Sockets;
using Caisson.Core.Digests;
using Caisson.Core.Errors;
using Caisson.Testing.Images;
using Caisson.Testing.Processes;
using Xunit;

namespace Caisson.Testing.Registry;

/// <summary>
/// A real registry (Debian's docker-registry, distribution 2.8) on 127.0.0.1 and a free port, storing into a
/// fresh temp directory; killed and deleted on dispose. Use it as an xunit collection fixture (collection
/// "registry") or directly: <c>await using var registry = await RegistryFixture.StartAsync(options);</c>.
/// A derived class with a parameterless constructor can be a fixture with other options.
/// </summary>
public class RegistryFixture : IAsyncLifetime, IAsyncDisposable
{
    public const string BinaryPath = "/usr/bin/docker-registry";
    private const int PortAttempts = 5;

    private BackgroundProcess? process;
    private TestCertificateAuthority? certificateAuthority;
    private HttpClient? pushClient;
    private string? rootDirectory;
    private int port;

    public RegistryFixture()
        : this(new RegistryFixtureOptions())
    {
    }

    protected RegistryFixture(RegistryFixtureOptions options) => Options = options;

    public RegistryFixtureOptions Options { get; }

    /// <summary>"127.0.0.1:PORT", as image references name this registry.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public int Port => port != 0 ? port : throw NotStarted();

    /// <summary>http://127.0.0.1:PORT/ or https://... with <see cref="RegistryFixtureOptions.Tls"/>.</summary>
    public Uri BaseUri => new($"{(Options.Tls ? "https" : "http")}://{Host}/");

    public RegistryCredentials? Credentials => Options.BasicAuth;

    /// <summary>The registry's filesystem storage root (docker/registry/v2/... under it).</summary>
    public string DataDirectory => Path.Join(Root, "storage");

    /// <summary>The PEM file of the CA that signed the registry's certificate; null without TLS.</summary>
    public string? CaCertificatePath => Options.Tls ? Path.Join(Root, "ca.pem") : null;

    public TestCertificateAuthority? CertificateAuthority => certificateAuthority;

    /// <summary>What the registry logged lately, for assertion messages.</summary>
    public string Logs => process?.RecentOutput ?? "";

    /// <summary>Starts a registry and waits until it answers GET /v2/.</summary>
    public static async Task<RegistryFixture> StartAsync(RegistryFixtureOptions? options = null)
    {
        var fixture = new RegistryFixture(options ?? new RegistryFixtureOptions());
        await fixture.InitializeAsync();
        return fixture;
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(BinaryPath))
        {
            throw new FailedPreconditionException(
                $"{BinaryPath} is missing: registry tests need Debian's docker-registry (apt-get install docker-registry)");
        }

        rootDirectory = Directory.CreateTempSubdirectory("caisson-registry-").FullName;
        try
        {
            Directory.CreateDirectory(DataDirectory);
            var htpasswd = Options.BasicAuth is { } credentials ? await WriteHtpasswdAsync(credentials) : null;
            (string, string)? tls = null;
            if (Options.Tls)
            {
                certificateAuthority = TestCertificateAuthority.Create();
                var (_, certificate, key) = certificateAuthority.WritePemFiles(rootDirectory);
                tls = (certificate, key);
            }

            await StartOnFreePortAsync(htpasswd, tls);
            pushClient = CreateHttpClient();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A handler that trusts this registry's CA (when it has TLS) and nothing else extra.</summary>
    public HttpMessageHandler CreateHttpHandler()
    {
        var handler = new SocketsHttpHandler();
        if (certificateAuthority is not null)
            handler.SslOptions.RemoteCertificateValidationCallback = certificateAuthority.Validate;
        return handler;
    }

    /// <summary>An HttpClient with <see cref="BaseUri"/>, trusting the CA and, if <paramref name="authenticate"/>, sending the credentials.</summary>
    public HttpClient CreateHttpClient(bool authenticate = true)
    {
        var client = new HttpClient(CreateHttpHandler(), disposeHandler: true) { BaseAddress = BaseUri };
        if (authenticate && Credentials is not null)
            client.DefaultRequestHeaders.Authorization = Credentials.ToBasicHeader();
        return client;
    }

    /// <summary>
    /// Pushes an image or index as "repo:tag" (or "repo@digest", or "repo" by digest; a leading "<see cref="Host"/>/"
    /// is allowed) and returns the full reference to pull it by: "127.0.0.1:PORT/repo:tag".
    /// </summary>
    public async Task<string> PushAsync(IBuiltManifest content, string reference, CancellationToken cancellationToken = default)
    {
        var relative = reference.StartsWith(Host + "/", StringComparison.Ordinal) ? reference[(Host.Length + 1)..] : reference;
        var pusher = new RegistryPusher(pushClient ?? throw NotStarted());
        var digest = await pusher.PushAsync(content, relative, cancellationToken);
        var (repository, tagOrDigest) = RegistryPusher.SplitReference(relative);
        return tagOrDigest.Length == 0 || tagOrDigest.Contains(':', StringComparison.Ordinal)
            ? $"{Host}/{repository}@{digest}"
            : $"{Host}/{repository}:{tagOrDigest}";
    }

    /// <summary>Where the registry stores a blob's bytes, for tests that corrupt or remove one behind its back.</summary>
    public string BlobPath(Digest digest) =>
        Path.Join(DataDirectory, "docker", "registry", "v2", "blobs", digest.Algorithm, digest.Hex[..2], digest.Hex, "data");

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (process is not null)
        {
            await process.DisposeAsync();
            process = null;
        }

        pushClient?.Dispose();
        pushClient = null;
        certificateAuthority?.Dispose();
        certificateAuthority = null;
        if (rootDirectory is not null && Directory.Exists(rootDirectory))
            Directory.Delete(rootDirectory, recursive: true);
        rootDirectory = null;
        port = 0;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    public override string ToString() => port == 0 ? "registry (not started)" : $"registry at {BaseUri}";

    private async Task<string> WriteHtpasswdAsync(RegistryCredentials credentials)
    {
        const string htpasswdTool = "/usr/bin/htpasswd";
        if (!File.Exists(htpasswdTool))
            throw new FailedPreconditionException($"{htpasswdTool} is missing: basic-auth registry tests need it (apt-get install apache2-utils)");
        var line = await ProcessRunner.RunCheckedAsync(htpasswdTool, ["-Bbn", credentials.Username, credentials.Password]);
        var path = Path.Join(rootDirectory, "htpasswd");
        await File.WriteAllTextAsync(path, line.Trim() + "\n");
        return path;
    }

    /// <summary>
    /// Picks a free port and starts the registry on it. Another process can take the port between our probe and
    /// the registry's bind, so a start that fails with "address already in use" is retried on a new port.
    /// </summary>
    private async Task StartOnFreePortAsync(string? htpasswd, (string Certificate, string Key)? tls)
    {
        var configPath = Path.Join(rootDirectory, "config.yml");
        for (var attempt = 1; ; attempt++)
        {
            port = FreeLoopbackPort();
            RegistryConfigFile.Write(configPath, DataDirectory, port, htpasswd, tls);
            process = BackgroundProcess.Start(BinaryPath, ["serve", configPath], rootDirectory, ChildEnvironment());
            var failure = await WaitUntilAnsweringAsync(process);
            if (failure is null)
                return;

            var output = process.RecentOutput;
            await process.DisposeAsync();
            process = null;
            if (attempt < PortAttempts && (output + failure).Contains("address already in use", StringComparison.Ordinal))
                continue;
            throw new CaissonException(ErrorKind.Unavailable, $"{BinaryPath} serve {configPath}: {failure}. Its output:\n{output}");
        }
    }

    /// <summary>Null once GET /v2/ answers 200 (or 401 with auth); otherwise why it never did.</summary>
    private async Task<string?> WaitUntilAnsweringAsync(BackgroundProcess registry)
    {
        using var client = CreateHttpClient(authenticate: false);
        client.Timeout = TimeSpan.FromSeconds(2);
        var deadline = DateTime.UtcNow + Options.StartTimeout;
        var lastError = "no answer yet";
        while (DateTime.UtcNow < deadline)
        {
            if (registry.HasExited)
                return $"exited with code {registry.ExitCode} before answering";
            try
            {
                using var response = await client.GetAsync("v2/");
                if (response.StatusCode == HttpStatusCode.OK || (Credentials is not null && response.StatusCode == HttpStatusCode.Unauthorized))
                {
                    // Another test's server may have taken the port before ours could bind it, and answered for it.
                    return LoopbackListeners.Owns(registry.Id, port)
                        ? null
                        : "address already in use: another process answered on the port before the registry bound it";
                }
                lastError = $"GET /v2/ answered {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                lastError = e.Message;
            }

            await Task.Delay(50);
        }

        return $"did not answer GET /v2/ within {Options.StartTimeout.TotalSeconds:0} s (last: {lastError})";
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>REGISTRY_* variables override the config file; none from the test's environment may leak in.</summary>
    private static Dictionary<string, string?> ChildEnvironment() =>
        Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name.StartsWith("REGISTRY_", StringComparison.Ordinal))
            .ToDictionary(name => name, _ => (string?)null);

    private string Root => rootDirectory ?? throw NotStarted();

    private static InvalidOperationException NotStarted() =>
        new("the registry fixture has not been started (call InitializeAsync or StartAsync)");
}
