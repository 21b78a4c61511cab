using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Caisson.Core.Errors;

namespace Caisson.Runtime.Network;

/// <summary>An interface a plugin created; <see cref="Sandbox"/> is the netns path when it lives in the pod.</summary>
internal sealed record CniInterface(string Name, string? Mac, string? Sandbox);

/// <summary>An address a plugin assigned, with its prefix length, and the interface index it is on.</summary>
internal sealed record CniIpConfig(IPAddress Address, int PrefixLength, IPAddress? Gateway, int? InterfaceIndex);

internal sealed record CniRoute(string Destination, IPAddress? Gateway);

internal sealed record CniDns(
    IReadOnlyList<string> Nameservers, string? Domain, IReadOnlyList<string> Search, IReadOnlyList<string> Options);

/// <summary>The result of a CNI ADD (spec section "Success"), parsed; <see cref="Json"/> is kept for prevResult.</summary>
internal sealed record CniResult(
    string? CniVersion,
    IReadOnlyList<CniInterface> Interfaces,
    IReadOnlyList<CniIpConfig> Ips,
    IReadOnlyList<CniRoute> Routes,
    CniDns Dns,
    JsonObject Json)
{
    public static CniResult Parse(string json, string source)
    {
        try
        {
            var root = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("not a JSON object");
            return new CniResult(
                Text(root["cniVersion"]),
                Items(root["interfaces"]).Select(i => new CniInterface(
                    Text(i["name"]) ?? "", Text(i["mac"]), Text(i["sandbox"]))).ToList(),
                Items(root["ips"]).Select(ParseIp).ToList(),
                Items(root["routes"]).Select(r => new CniRoute(
                    Text(r["dst"]) ?? throw new JsonException("a route has no \"dst\""), Address(r["gw"]))).ToList(),
                ParseDns(root["dns"] as JsonObject),
                root);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new CaissonException(ErrorKind.Internal, $"{source} returned a result that is not valid CNI JSON: {e.Message}", e);
        }
    }

    private static CniIpConfig ParseIp(JsonObject ip)
    {
        var cidr = Text(ip["address"]) ?? throw new JsonException("an IP has no \"address\"");
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
            throw new FormatException($"IP address '{cidr}' has no prefix length");
        var index = ip["interface"] is JsonValue value ? value.GetValue<int>() : (int?)null;
        return new CniIpConfig(
            IPAddress.Parse(cidr.AsSpan(0, slash)),
            int.Parse(cidr.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture),
            Address(ip["gateway"]),
            index);
    }

    private static CniDns ParseDns(JsonObject? dns) => new(
        Strings(dns?["nameservers"]), Text(dns?["domain"]), Strings(dns?["search"]), Strings(dns?["options"]));

    private static IEnumerable<JsonObject> Items(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => n as JsonObject ?? throw new JsonException("a list item is not an object")) : [];

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => n?.GetValue<string>() ?? "").ToList() : [];

    private static string? Text(JsonNode? node) => node?.GetValue<string>();

    private static IPAddress? Address(JsonNode? node) => Text(node) is { } text ? IPAddress.Parse(text) : null;
}
