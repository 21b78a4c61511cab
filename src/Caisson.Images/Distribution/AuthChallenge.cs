using System.Text;

namespace Caisson.Images.Distribution;

/// <summary>One <c>WWW-Authenticate</c> challenge: a scheme (Bearer, Basic) and its parameters (realm, service, scope).</summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public string? Realm => Parameters.GetValueOrDefault("realm");

    public string? Service => Parameters.GetValueOrDefault("service");

    public string? Scope => Parameters.GetValueOrDefault("scope");

    /// <summary>The challenge we answer from a 401: Bearer over Basic, unknown schemes ignored.</summary>
    public static AuthChallenge? Select(HttpResponseMessage response)
    {
        var challenges = response.Headers.WwwAuthenticate.Select(h => Parse(h.Scheme, h.Parameter)).ToList();
        if (challenges.Count == 0 && response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out var raw))
        {
            // The typed parser drops values it finds malformed; registries are not always tidy.
            foreach (var value in raw)
            {
                var parts = value.Trim().Split(' ', 2);
                challenges.Add(Parse(parts[0], parts.Length > 1 ? parts[1] : null));
            }
        }

        challenges.RemoveAll(c => !c.IsBearer && !c.IsBasic);
        return challenges.FirstOrDefault(c => c.IsBearer && !string.IsNullOrEmpty(c.Realm))
            ?? challenges.FirstOrDefault(c => c.IsBasic);
    }

    /// <summary>Parses the parameter list of a challenge: <c>key=token</c> or <c>key="quoted \"string\""</c>, comma separated.</summary>
    public static AuthChallenge Parse(string scheme, string? parameterText)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var text = parameterText ?? "";
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
                i++;
            var keyStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != ',')
                i++;
            var key = text[keyStart..i].Trim();
            if (i >= text.Length || text[i] != '=')
                continue;
            i++;
            while (i < text.Length && text[i] == ' ')
                i++;

            string value;
            if (i < text.Length && text[i] == '"')
            {
                var builder = new StringBuilder();
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                        i++;
                    builder.Append(text[i]);
                    i++;
                }

                i++;
                value = builder.ToString();
            }
            else
            {
                var valueStart = i;
                while (i < text.Length && text[i] != ',')
                    i++;
                value = text[valueStart..i].Trim();
            }

            if (key.Length > 0)
                parameters[key] = value;
        }

        return new AuthChallenge(scheme, parameters);
    }
}
