using System.Text.RegularExpressions;
using Caisson.Core.Errors;

namespace Caisson.Cli.Containers;

/// <summary>
/// Container names: the rule a --name must follow (docker's), and generated names such as "steady-harbor" for
/// containers run without one. The pod of a container run by the CLI is named after it.
/// </summary>
internal static partial class ContainerNames
{
    private static readonly string[] Adjectives =
    [
        "amber", "bold", "brisk", "calm", "clever", "crisp", "daring", "eager", "fair", "fond", "gentle", "glad",
        "grand", "hardy", "honest", "keen", "kind", "lively", "loyal", "lucid", "merry", "mellow", "nimble", "noble",
        "patient", "plucky", "polite", "proud", "quick", "quiet", "rapid", "robust", "serene", "sharp", "silent",
        "sleek", "steady", "stoic", "sturdy", "sunny", "swift", "tidy", "trusty", "upbeat", "vivid", "warm", "wise",
        "witty", "zealous",
    ];

    // Things found in and around harbours, after the caisson the project is named for.
    private static readonly string[] Nouns =
    [
        "anchor", "ballast", "barge", "beacon", "bollard", "breakwater", "buoy", "capstan", "cofferdam", "crane",
        "current", "dock", "dredger", "ferry", "gangway", "harbor", "hawser", "hull", "jetty", "keel", "lighthouse",
        "lock", "mooring", "navigator", "pier", "pilot", "piling", "pontoon", "quay", "rudder", "sandbar", "seawall",
        "shipwright", "slipway", "sounding", "spillway", "stevedore", "tide", "towboat", "tugboat", "wharf", "winch",
    ];

    /// <summary>A random "adjective-noun" name; callers retry when it is taken.</summary>
    public static string Generate(Random random) =>
        $"{Adjectives[random.Next(Adjectives.Length)]}-{Nouns[random.Next(Nouns.Length)]}";

    public static void Validate(string name)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new InvalidArgumentException(
                $"invalid container name \"{name}\": use letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
    }

    /// <summary>Pod names may not hold '_' (the daemon joins name parts with it), so the pod gets '-' instead.</summary>
    public static string PodNameFor(string containerName) => containerName.Replace('_', '-');

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$")]
    private static partial Regex NamePattern();
}
