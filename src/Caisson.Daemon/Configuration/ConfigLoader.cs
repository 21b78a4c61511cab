using Caisson.Core.Configuration;
using Caisson.Core.Errors;
using Tomlyn;
using Tomlyn.Model;

namespace Caisson.Daemon.Configuration;

/// <summary>Reads config.toml onto the defaults of <see cref="CaissonConfig"/>.</summary>
internal static class ConfigLoader
{
    /// <summary>Loads <paramref name="path"/>; a missing file means all defaults unless it was named explicitly.</summary>
    public static CaissonConfig Load(string path, bool mustExist)
    {
        if (!File.Exists(path))
        {
            return mustExist
                ? throw new NotFoundException($"config file {path} not found (write one with `caisson config default > {path}`)")
                : new CaissonConfig();
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static CaissonConfig Parse(string text, string file)
    {
        TomlTable table;
        try
        {
            table = TomlSerializer.Deserialize(text, ConfigTomlContext.Default.TomlTable) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            throw new InvalidArgumentException($"{file}: invalid TOML: {e.Message}", e);
        }

        var config = new CaissonConfig();
        var root = new TomlSection(table, "", file);
        config.Version = root.Int("version", config.Version, 1, 1);
        config.Root = root.String("root", config.Root);
        config.State = root.String("state", config.State);

        if (root.Table("grpc") is { } grpc)
        {
            config.Grpc.Address = grpc.String("address", config.Grpc.Address);
            config.Grpc.Gid = grpc.Int("gid", config.Grpc.Gid, 0);
            grpc.RejectUnknown();
        }

        if (root.Table("log") is { } log)
        {
            config.Log.Level = log.OneOf("level", config.Log.Level, "trace", "debug", "info", "warn", "error");
            config.Log.Format = log.OneOf("format", config.Log.Format, "text", "json");
            log.RejectUnknown();
        }

        if (root.Table("images") is { } images)
        {
            config.Images.Snapshotter = images.OneOf("snapshotter", config.Images.Snapshotter, "overlayfs", "native");
            config.Images.MaxConcurrentDownloads = images.Int("max_concurrent_downloads", config.Images.MaxConcurrentDownloads, 1, 64);
            config.Images.MaxDownloadRetries = images.Int("max_download_retries", config.Images.MaxDownloadRetries, 0, 100);
            config.Images.Platform = images.String("platform", config.Images.Platform);
            images.RejectUnknown();
        }

        if (root.Table("registry") is { } registry)
            ReadRegistry(registry, config.Registry);

        if (root.Table("runtime") is { } runtime)
        {
            config.Runtime.DefaultRuntime = runtime.String("default_runtime", config.Runtime.DefaultRuntime);
            config.Runtime.ShimPath = runtime.String("shim_path", config.Runtime.ShimPath);
            if (runtime.Table("handlers") is { } handlers)
            {
                foreach (var (name, section) in handlers.Tables())
                {
                    config.Runtime.Handlers[name] = new RuntimeHandlerSection { Path = section.String("path", "") };
                    section.RejectUnknown();
                }

                handlers.RejectUnknown();
            }

            runtime.RejectUnknown();
        }

        if (root.Table("cni") is { } cni)
        {
            config.Cni.BinDirs = cni.Strings("bin_dirs", config.Cni.BinDirs);
            config.Cni.ConfDir = cni.String("conf_dir", config.Cni.ConfDir);
            cni.RejectUnknown();
        }

        root.RejectUnknown();
        return config;
    }

    private static void ReadRegistry(TomlSection registry, RegistrySection target)
    {
        target.ConfigFile = registry.String("config_file", target.ConfigFile);
        if (registry.Table("mirrors") is { } mirrors)
        {
            foreach (var (host, section) in mirrors.Tables())
            {
                target.Mirrors[host] = new MirrorSection { Endpoints = section.Strings("endpoints", []) };
                foreach (var endpoint in target.Mirrors[host].Endpoints)
                {
                    if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                        throw section.Invalid("endpoints", $"\"{endpoint}\" is not an http(s) URL");
                }

                section.RejectUnknown();
            }

            mirrors.RejectUnknown();
        }

        if (registry.Table("hosts") is { } hosts)
        {
            foreach (var (host, section) in hosts.Tables())
            {
                target.Hosts[host] = new RegistryHostSection
                {
                    PlainHttp = section.Bool("plain_http", false),
                    SkipVerify = section.Bool("skip_verify", false),
                    CaFile = section.String("ca_file", ""),
                    Username = section.String("username", ""),
                    Password = section.String("password", ""),
                    IdentityToken = section.String("identity_token", ""),
                };
                section.RejectUnknown();
            }

            hosts.RejectUnknown();
        }

        registry.RejectUnknown();
    }
}
