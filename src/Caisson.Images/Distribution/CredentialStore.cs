using Caisson.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Caisson.Images.Distribution;

/// <summary>
/// Picks the credentials for an endpoint: the request's own (for the registry's endpoint only), then the host's
/// settings, then the docker config file. A mirror gets only what is configured for the mirror's host.
/// </summary>
internal sealed class CredentialStore(RegistryOptions options, ILogger logger)
{
    private readonly Lock gate = new();
    private (DateTime WrittenAt, long Length, IReadOnlyDictionary<string, RegistryCredentials> Auths)? dockerConfig;

    public RegistryCredentials? For(RegistryEndpoint endpoint, RegistryCredentials? requested)
    {
        if (!endpoint.IsMirror && requested is { IsEmpty: false })
            return requested;
        return Configured(endpoint.CredentialHost);
    }

    public RegistryCredentials? Configured(string host) =>
        options.HostOptionsFor(host)?.Credentials ?? DockerConfigAuths().GetValueOrDefault(DockerConfigFile.NormalizeKey(host));

    private IReadOnlyDictionary<string, RegistryCredentials> DockerConfigAuths()
    {
        var path = options.DockerConfigPath;
        if (string.IsNullOrEmpty(path))
            return new Dictionary<string, RegistryCredentials>();

        var file = new FileInfo(path);
        lock (gate)
        {
            if (!file.Exists)
            {
                dockerConfig = null;
                return new Dictionary<string, RegistryCredentials>();
            }

            // Re-read when the file changes, so `docker login` takes effect without a restart.
            if (dockerConfig is { } cached && cached.WrittenAt == file.LastWriteTimeUtc && cached.Length == file.Length)
                return cached.Auths;

            IReadOnlyDictionary<string, RegistryCredentials> auths;
            try
            {
                auths = DockerConfigFile.Parse(File.ReadAllBytes(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CaissonException)
            {
                DistributionLog.DockerConfigUnusable(logger, path, e.Message);
                auths = new Dictionary<string, RegistryCredentials>();
            }

            dockerConfig = (file.LastWriteTimeUtc, file.Length, auths);
            return auths;
        }
    }
}
