using System.Diagnostics;

namespace Caisson.Tests.Runtime.Network;

/// <summary>Reads the host's network state with the standard tools, as an operator would check it.</summary>
internal static class HostCommands
{
    public static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: exit {process.ExitCode}: {errors}");
        return output.Result;
    }

    /// <summary>All iptables rules (filter and nat) as iptables-save prints them.</summary>
    public static string IptablesRules() => Run("iptables-save");

    /// <summary>Link names on the host, one per line of `ip -o link`.</summary>
    public static IReadOnlyList<string> LinkNames() =>
        Run("ip", "-o", "link").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 3)[1].Trim().Split('@')[0])
            .ToList();

    /// <summary>Links attached to <paramref name="bridge"/> (the pods' host-side veths).</summary>
    public static IReadOnlyList<string> BridgePorts(string bridge) =>
        Run("ip", "-o", "link", "show", "master", bridge).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Removes the bridge plugin's masquerade chain for <paramref name="containerId"/> and the POSTROUTING rule that
    /// jumps to it: what the plugin leaves when DEL runs after the netns is gone.
    /// </summary>
    public static void RemoveMasqueradeRules(string containerId)
    {
        var jumps = Run("iptables", "-w", "-t", "nat", "-S", "POSTROUTING").Split('\n')
            .Where(rule => rule.Contains(containerId, StringComparison.Ordinal)).ToList();
        foreach (var rule in jumps)
        {
            // The rule text carries shell quoting (its comment); let sh split it back into arguments.
            Run("sh", "-c", "iptables -w -t nat " + rule.Replace("-A POSTROUTING", "-D POSTROUTING", StringComparison.Ordinal));
            var chain = rule[(rule.LastIndexOf("-j ", StringComparison.Ordinal) + 3)..].Trim();
            Run("iptables", "-w", "-t", "nat", "-F", chain);
            Run("iptables", "-w", "-t", "nat", "-X", chain);
        }
    }

    public static void DeleteLinkIfPresent(string name)
    {
        if (LinkNames().Contains(name))
            Run("ip", "link", "del", name);
    }
}
