using Caisson.Api.Cri;
using Caisson.Core.Errors;
using Caisson.Core.Oci;

namespace Caisson.Runtime.Oci;

/// <summary>argv, environment and working directory of a container's process, per the CRI rules containerd follows.</summary>
internal static class ProcessArguments
{
    internal const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>
    /// A CRI command replaces the image's Entrypoint and Cmd both (only the CRI args follow it); CRI args alone
    /// replace only Cmd. An image Entrypoint of [""] means none.
    /// </summary>
    public static IReadOnlyList<string> Args(ContainerConfig config, ContainerDefaults? image)
    {
        IEnumerable<string> command = config.Command;
        IEnumerable<string> args = config.Args;
        if (config.Command.Count == 0)
        {
            if (config.Args.Count == 0)
                args = image?.Cmd ?? [];
            var entrypoint = image?.Entrypoint ?? [];
            command = entrypoint is [""] ? [] : entrypoint;
        }

        var argv = command.Concat(args).ToList();
        if (argv.Count == 0)
            throw new InvalidArgumentException("command: no command given and the image has neither Entrypoint nor Cmd");
        return argv;
    }

    /// <summary>HOSTNAME, then the image's Env, then the CRI envs; a later value replaces an earlier one in place.</summary>
    public static IReadOnlyList<string> Environment(ContainerConfig config, ContainerDefaults? image, string? hostname)
    {
        var order = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Set(string key, string entry)
        {
            if (!values.ContainsKey(key))
                order.Add(key);
            values[key] = entry;
        }

        if (!string.IsNullOrEmpty(hostname))
            Set("HOSTNAME", $"HOSTNAME={hostname}");
        foreach (var entry in image?.Env ?? [])
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            Set(equals < 0 ? entry : entry[..equals], entry);
        }

        foreach (var kv in config.Envs)
        {
            if (kv.Key.Length == 0 || kv.Key.Contains('=', StringComparison.Ordinal) || kv.Key.Contains('\0', StringComparison.Ordinal))
                throw new InvalidArgumentException($"envs: invalid variable name \"{kv.Key}\"");
            var value = kv.Value.ToStringUtf8();
            if (value.Contains('\0', StringComparison.Ordinal))
                throw new InvalidArgumentException($"envs: value of {kv.Key} contains a NUL byte");
            Set(kv.Key, $"{kv.Key}={value}");
        }

        if (!values.ContainsKey("PATH"))
            Set("PATH", DefaultPath);
        return order.Select(key => values[key]).ToList();
    }

    public static string WorkingDirectory(ContainerConfig config, ContainerDefaults? image)
    {
        if (config.WorkingDir.Length > 0)
        {
            if (!config.WorkingDir.StartsWith('/'))
                throw new InvalidArgumentException($"working_dir: \"{config.WorkingDir}\" is not absolute");
            return config.WorkingDir;
        }

        return string.IsNullOrEmpty(image?.WorkingDir) ? "/" : image.WorkingDir;
    }
}
