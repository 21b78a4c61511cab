using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Caisson.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Caisson.Images.Distribution;

/// <summary>
/// Answers registry challenges: Basic with the endpoint's credentials, Bearer with a token from the challenge's realm
/// (anonymous, with Basic credentials, or with an identity token as an OAuth2 refresh token). Remembers each
/// endpoint's challenge so that later requests carry a token from the start instead of collecting a 401 first.
/// </summary>
internal sealed class RegistryAuthenticator(HttpSender sender, RegistryOptions options, ILogger logger, TimeProvider time)
{
    private const int MaxTokenResponseBytes = 1024 * 1024;
    private const string ClientId = "caisson";
    private static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, AuthChallenge> challenges = new(StringComparer.OrdinalIgnoreCase);
    private readonly BearerTokenCache tokens = new(time);

    /// <summary>What to send before any 401: a registry token, or an answer to the challenge this endpoint gave last.</summary>
    public Task<AuthenticationHeaderValue?> PreauthorizeAsync(
        RegistryEndpoint endpoint, string scope, RegistryCredentials? credentials, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(credentials?.RegistryToken))
            return Task.FromResult<AuthenticationHeaderValue?>(new("Bearer", credentials.RegistryToken));
        return challenges.TryGetValue(endpoint.Origin, out var challenge)
            ? AnswerAsync(endpoint, challenge, [scope], credentials, refresh: false, ct)
            : Task.FromResult<AuthenticationHeaderValue?>(null);
    }

    /// <summary>
    /// The authorization answering a fresh 401's <paramref name="challenge"/>, or null when we have nothing (better) to
    /// offer. <paramref name="refresh"/> skips the token cache: the token we sent was just refused.
    /// </summary>
    public Task<AuthenticationHeaderValue?> AnswerChallengeAsync(
        RegistryEndpoint endpoint, AuthChallenge challenge, string scope, RegistryCredentials? credentials, bool refresh, CancellationToken ct)
    {
        challenges[endpoint.Origin] = challenge;
        if (!string.IsNullOrEmpty(credentials?.RegistryToken))
            return Task.FromResult<AuthenticationHeaderValue?>(null);
        // A challenge may name a scope of its own; ask for it too unless ours already covers that resource, so that
        // the token cached here is the one later requests look up.
        var scopes = new List<string> { scope };
        if (!string.IsNullOrEmpty(challenge.Scope) && ResourceOf(challenge.Scope) != ResourceOf(scope))
            scopes.Add(challenge.Scope);
        return AnswerAsync(endpoint, challenge, scopes, credentials, refresh, ct);
    }

    private async Task<AuthenticationHeaderValue?> AnswerAsync(
        RegistryEndpoint endpoint, AuthChallenge challenge, IReadOnlyList<string> scopes, RegistryCredentials? credentials,
        bool refresh, CancellationToken ct)
    {
        if (challenge.IsBasic)
            return credentials is { HasUsernamePassword: true } ? BasicHeader(credentials) : null;

        var key = BearerTokenCache.Key(challenge.Realm!, challenge.Service, string.Join(' ', scopes), credentials);
        if (!refresh && tokens.Get(key) is { } cached)
            return new AuthenticationHeaderValue("Bearer", cached);

        var (token, lifetime) = await FetchTokenAsync(endpoint, challenge, scopes, credentials, ct);
        tokens.Put(key, token, lifetime);
        return new AuthenticationHeaderValue("Bearer", token);
    }

    private async Task<(string Token, TimeSpan Lifetime)> FetchTokenAsync(
        RegistryEndpoint endpoint, AuthChallenge challenge, IReadOnlyList<string> scopes, RegistryCredentials? credentials,
        CancellationToken ct)
    {
        if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || realm.Scheme is not ("http" or "https"))
        {
            throw new FailedPreconditionException(
                $"{endpoint.Root.Authority} named an unusable token realm \"{challenge.Realm}\"");
        }

        var realmOptions = options.HostOptionsFor(realm.Authority);
        HttpResponseMessage response;
        if (!string.IsNullOrEmpty(credentials?.IdentityToken))
        {
            var form = new List<KeyValuePair<string, string>>
            {
                new("grant_type", "refresh_token"),
                new("refresh_token", credentials.IdentityToken),
                new("client_id", ClientId),
                new("scope", string.Join(' ', scopes)),
            };
            if (challenge.Service is not null)
                form.Add(new("service", challenge.Service));
            response = await sender.SendAsync(
                uri => new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form) },
                realm, null, null, realmOptions, ct);
        }
        else
        {
            var query = new StringBuilder(realm.Query.TrimStart('?'));
            if (challenge.Service is not null)
                AppendQuery(query, "service", challenge.Service);
            foreach (var scope in scopes)
                AppendQuery(query, "scope", scope);
            var uri = new UriBuilder(realm) { Query = query.ToString() }.Uri;
            var authorization = credentials is { HasUsernamePassword: true } ? BasicHeader(credentials) : null;
            response = await sender.SendAsync(
                u => new HttpRequestMessage(HttpMethod.Get, u), uri, authorization, uri.GetLeftPart(UriPartial.Authority), realmOptions, ct);
        }

        using (response)
        {
            var what = $"token for {string.Join(' ', scopes)} from {realm.Authority} (for {endpoint.CredentialHost})";
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                var refused = await RegistryErrors.FromResponseAsync(response, what, LogUrl.Of(realm), ct);
                throw new CaissonException(ErrorKind.Unauthenticated,
                    $"{what}: the token server refused {(credentials is null ? "anonymous access" : "our credentials")}: {refused.Message}", refused);
            }

            if (!response.IsSuccessStatusCode)
                throw await RegistryErrors.FromResponseAsync(response, what, LogUrl.Of(realm), ct);

            var body = await BoundedContent.ReadAsync(response, MaxTokenResponseBytes, options.StallTimeout, what, truncate: false, ct);
            var (token, lifetime) = ParseTokenResponse(body, what);
            DistributionLog.TokenFetched(logger, string.Join(' ', scopes), LogUrl.Of(realm), (long)lifetime.TotalSeconds);
            return (token, lifetime);
        }
    }

    /// <summary>Reads <c>token</c> (or the OAuth2 <c>access_token</c>) and <c>expires_in</c> (60 s when absent).</summary>
    internal static (string Token, TimeSpan Lifetime) ParseTokenResponse(byte[] body, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw RegistryErrors.BadContent(what, "the token response is not a JSON object");
            var token = Text(root, "token") ?? Text(root, "access_token");
            if (string.IsNullOrEmpty(token))
                throw RegistryErrors.BadContent(what, "the token response has neither \"token\" nor \"access_token\"");
            var lifetime = root.TryGetProperty("expires_in", out var expires) && expires.TryGetInt64(out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.FromDays(1).TotalSeconds))
                : DefaultTokenLifetime;
            return (token, lifetime);
        }
        catch (JsonException e)
        {
            throw RegistryErrors.BadContent(what, $"the token response is not valid JSON: {e.Message}");
        }
    }

    /// <summary><c>repository:team/app</c> of <c>repository:team/app:pull,push</c>.</summary>
    private static string ResourceOf(string scope)
    {
        var actions = scope.LastIndexOf(':');
        return actions > 0 ? scope[..actions] : scope;
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void AppendQuery(StringBuilder query, string name, string value)
    {
        if (query.Length > 0)
            query.Append('&');
        query.Append(name).Append('=').Append(Uri.EscapeDataString(value));
    }

    private static AuthenticationHeaderValue BasicHeader(RegistryCredentials credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));
}
