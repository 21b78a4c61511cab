using Caisson.Core.Errors;

namespace Caisson.Daemon.Hosting;

/// <summary>caissond's command line: overrides on top of config.toml, so tests can run private instances side by side.</summary>
internal sealed record DaemonArguments(string ConfigPath, bool ConfigExplicit, string? Root, string? State, string? Address, string? LogLevel, bool Help, bool Version)
{
    public const string Usage = """
        Usage: caissond [--config FILE] [--root DIR] [--state DIR] [--address SOCKET] [--log-level LEVEL]

        Caisson's daemon: serves the Kubernetes CRI (runtime.v1) and the caisson.v1 API on a unix socket.

          --config FILE      configuration file (default /etc/caisson/config.toml; missing means defaults)
          --root DIR         persistent state: content, snapshots, metadata (default /var/lib/caisson)
          --state DIR        volatile state: socket, bundles (default /run/caisson)
          --address SOCKET   unix socket to serve on (default <state>/caisson.sock)
          --log-level LEVEL  trace, debug, info, warn or error (default info)
          --version          print the version and exit
          -h, --help         print this help

        Print the documented default configuration with `caisson config default`.
        """;

    public static DaemonArguments Parse(string[] args)
    {
        var result = new DaemonArguments(Core.Configuration.CaissonConfig.DefaultPath, false, null, null, null, null, false, false);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            string Value() => inline ?? (i + 1 < args.Length ? args[++i] : throw new InvalidArgumentException($"{arg} needs a value"));
            result = arg switch
            {
                "--config" => result with { ConfigPath = Value(), ConfigExplicit = true },
                "--root" => result with { Root = Value() },
                "--state" => result with { State = Value() },
                "--address" => result with { Address = Value() },
                "--log-level" => result with { LogLevel = Value() },
                "--version" => result with { Version = true },
                "-h" or "--help" => result with { Help = true },
                _ => throw new InvalidArgumentException($"unknown argument \"{args[i]}\""),
            };
        }

        return result;
    }
}
