using System.Globalization;
using System.Text;

namespace Caisson.Core.Configuration;

/// <summary>Renders a config as the commented TOML that `caisson config default` prints.</summary>
public static class DefaultConfigToml
{
    public static string Render(CaissonConfig config)
    {
        var b = new StringBuilder();
        b.AppendLine("# Caisson configuration. Every key is shown with its default; delete what you do not change.");
        b.AppendLine("# Loaded from /etc/caisson/config.toml, or the file given with caissond --config.");
        b.AppendLine(Kv("version", config.Version));
        b.AppendLine("# Persistent state: content store, snapshots, metadata.db.");
        b.AppendLine(Kv("root", config.Root));
        b.AppendLine("# Volatile state: the socket, container bundles, shim sockets.");
        b.AppendLine(Kv("state", config.State));
        b.AppendLine();
        b.AppendLine("[grpc]");
        b.AppendLine("# Unix socket for CRI and the caisson API; empty means <state>/caisson.sock.");
        b.AppendLine(Kv("address", config.Grpc.Address));
        b.AppendLine("# Group owning the socket (mode 0660).");
        b.AppendLine(Kv("gid", config.Grpc.Gid));
        b.AppendLine();
        b.AppendLine("[log]");
        b.AppendLine("# trace, debug, info, warn or error.");
        b.AppendLine(Kv("level", config.Log.Level));
        b.AppendLine("# text or json.");
        b.AppendLine(Kv("format", config.Log.Format));
        b.AppendLine();
        b.AppendLine("[images]");
        b.AppendLine("# overlayfs, or native (copies layers; for file systems without overlayfs).");
        b.AppendLine(Kv("snapshotter", config.Images.Snapshotter));
        b.AppendLine("# Layers downloaded at once per pull.");
        b.AppendLine(Kv("max_concurrent_downloads", config.Images.MaxConcurrentDownloads));
        b.AppendLine("# Retries of one blob download; each resumes where the last one stopped.");
        b.AppendLine(Kv("max_download_retries", config.Images.MaxDownloadRetries));
        b.AppendLine("# Platform to pull as os/arch[/variant]; empty means this machine's.");
        b.AppendLine(Kv("platform", config.Images.Platform));
        b.AppendLine();
        b.AppendLine("[registry]");
        b.AppendLine("# A docker-style config.json whose \"auths\" supply registry credentials; empty means none.");
        b.AppendLine(Kv("config_file", config.Registry.ConfigFile));
        b.AppendLine();
        b.AppendLine("# Mirrors are tried in order before the registry itself, for any registry name:");
        b.AppendLine("# [registry.mirrors.\"registry.k8s.io\"]");
        b.AppendLine("# endpoints = [\"http://127.0.0.1:5000\"]");
        foreach (var (host, mirror) in config.Registry.Mirrors)
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"[registry.mirrors.{Quote(host)}]");
            b.AppendLine(CultureInfo.InvariantCulture, $"endpoints = [{string.Join(", ", mirror.Endpoints.Select(Quote))}]");
        }

        b.AppendLine();
        b.AppendLine("# How to reach and authenticate to a registry or mirror host:");
        b.AppendLine("# [registry.hosts.\"localhost:5000\"]");
        b.AppendLine("# plain_http = true        # no TLS");
        b.AppendLine("# skip_verify = false      # accept any certificate");
        b.AppendLine("# ca_file = \"/etc/caisson/certs/registry-ca.pem\"");
        b.AppendLine("# username = \"\"");
        b.AppendLine("# password = \"\"");
        foreach (var (host, h) in config.Registry.Hosts)
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"[registry.hosts.{Quote(host)}]");
            b.AppendLine(Kv("plain_http", h.PlainHttp));
            b.AppendLine(Kv("skip_verify", h.SkipVerify));
            b.AppendLine(Kv("ca_file", h.CaFile));
            b.AppendLine(Kv("username", h.Username));
            b.AppendLine(Kv("password", h.Password));
            b.AppendLine(Kv("identity_token", h.IdentityToken));
        }

        b.AppendLine();
        b.AppendLine("[runtime]");
        b.AppendLine("# The OCI runtime handler used when a pod names none (CRI runtime_handler).");
        b.AppendLine(Kv("default_runtime", config.Runtime.DefaultRuntime));
        b.AppendLine("# The caisson-shim binary; empty means the one installed beside caissond.");
        b.AppendLine(Kv("shim_path", config.Runtime.ShimPath));
        foreach (var (name, handler) in config.Runtime.Handlers)
        {
            b.AppendLine();
            b.AppendLine(CultureInfo.InvariantCulture, $"[runtime.handlers.{Quote(name)}]");
            b.AppendLine(Kv("path", handler.Path));
        }

        b.AppendLine();
        b.AppendLine("[cni]");
        b.AppendLine("# Where CNI plugin binaries are looked for, in order.");
        b.AppendLine(CultureInfo.InvariantCulture, $"bin_dirs = [{string.Join(", ", config.Cni.BinDirs.Select(Quote))}]");
        b.AppendLine("# Where network configuration lists (*.conflist) are read from.");
        b.AppendLine(Kv("conf_dir", config.Cni.ConfDir));
        return b.ToString();
    }

    private static string Kv(string key, string value) => $"{key} = {Quote(value)}";

    private static string Kv(string key, int value) => $"{key} = {value.ToString(CultureInfo.InvariantCulture)}";

    private static string Kv(string key, bool value) => $"{key} = {(value ? "true" : "false")}";

    /// <summary>A TOML basic string.</summary>
    public static string Quote(string value)
    {
        var b = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': b.Append("\\\""); break;
                case '\\': b.Append("\\\\"); break;
                case '\n': b.Append("\\n"); break;
                case '\t': b.Append("\\t"); break;
                case '\r': b.Append("\\r"); break;
                default:
                    if (char.IsControl(c))
                        b.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                    else
                        b.Append(c);
                    break;
            }
        }

        return b.Append('"').ToString();
    }
}
