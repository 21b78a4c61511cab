using System.Net;
using Microsoft.Extensions.Logging;

namespace Caisson.Images.Distribution;

/// <summary>
/// Sends requests to registry endpoints with the right credentials: answers a 401 once (fetching a token when the
/// registry wants one) and hands back whatever the registry says then.
/// </summary>
internal sealed class RegistryTransport : IDisposable
{
    private readonly HttpClientPool clients;
    private readonly CredentialStore credentials;
    private readonly RegistryAuthenticator authenticator;

    public RegistryTransport(RegistryOptions options, ILogger logger, Func<Uri, HttpMessageHandler>? handlerFactory, TimeProvider time)
    {
        clients = new HttpClientPool(options, handlerFactory);
        Sender = new HttpSender(clients, options, logger);
        credentials = new CredentialStore(options, logger);
        authenticator = new RegistryAuthenticator(Sender, options, logger, time);
    }

    /// <summary>For requests that carry no registry credentials at all (foreign layer URLs).</summary>
    public HttpSender Sender { get; }

    /// <summary>
    /// Sends to <paramref name="uri"/> on <paramref name="endpoint"/> with authorization for <paramref name="access"/> to
    /// <paramref name="repository"/>. A 401 that we can answer is answered once; the final response is returned as is.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        RegistryEndpoint endpoint,
        string repository,
        RegistryAccess access,
        RegistryCredentials? requested,
        Func<Uri, HttpRequestMessage> build,
        Uri uri,
        CancellationToken ct)
    {
        var endpointCredentials = credentials.For(endpoint, requested);
        var scope = $"repository:{repository}:{(access == RegistryAccess.Push ? "pull,push" : "pull")}";
        var authorization = await authenticator.PreauthorizeAsync(endpoint, scope, endpointCredentials, ct);
        for (var answered = false; ; answered = true)
        {
            var response = await Sender.SendAsync(build, uri, authorization, endpoint.Origin, endpoint.HostOptions, ct);
            if (response.StatusCode != HttpStatusCode.Unauthorized || answered)
                return response;

            var challenge = AuthChallenge.Select(response);
            if (challenge is null)
                return response;
            var answer = await authenticator.AnswerChallengeAsync(
                endpoint, challenge, scope, endpointCredentials, refresh: authorization is not null, ct);
            if (answer is null)
                return response;
            response.Dispose();
            authorization = answer;
        }
    }

    public void Dispose() => clients.Dispose();
}
