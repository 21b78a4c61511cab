using System.Security.Cryptography;
using System.Text;

namespace Caisson.Testing.Processes;

/// <summary>
/// The NativeAOT executables the tests run, as they ship: caissond and caisson-shim, each published once per
/// version of its sources into a cache keyed by a hash of them, so `dotnet test` works on a fresh clone and
/// reruns cost nothing.
/// </summary>
public static class PublishedExecutable
{
    private static readonly Lazy<Task<string>> ShimPath = new(() => PublishAsync("Caisson.Shim", "caisson-shim", ["src/Caisson.Shim"]));

    // caissond is built from every library under src/ but the CLI's and the shim's.
    private static readonly Lazy<Task<string>> DaemonPath = new(() => PublishAsync("Caisson.Daemon", "caissond",
        ["src/Caisson.Core", "src/Caisson.Linux", "src/Caisson.Images", "src/Caisson.Api", "src/Caisson.Cri", "src/Caisson.Runtime", "src/Caisson.Daemon"]));

    /// <summary>caisson-shim, published with NativeAOT.</summary>
    public static Task<string> ShimAsync() => ShimPath.Value;

    /// <summary>caissond, published with NativeAOT.</summary>
    public static Task<string> DaemonAsync() => DaemonPath.Value;

    private static async Task<string> PublishAsync(string projectName, string executableName, IReadOnlyList<string> sourceDirectories)
    {
        var repository = RepositoryRoot();
        var project = Path.Combine(repository, "src", projectName);
        var cache = Path.Combine(Path.GetTempPath(), "caisson-publish-cache", $"{executableName}-{SourceHash(repository, sourceDirectories)}");
        var executable = Path.Combine(cache, executableName);
        if (File.Exists(executable))
            return executable;

        Directory.CreateDirectory(Path.GetDirectoryName(cache)!);
        // Another test run (another worktree's) may publish the same sources: one at a time.
        using var publishLock = await LockAsync(cache + ".lock").ConfigureAwait(false);
        if (File.Exists(executable))
            return executable;
        var staging = cache + ".staging-" + Environment.ProcessId;
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        await ProcessRunner.RunCheckedAsync(dotnet, ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", staging, "-nologo"]).ConfigureAwait(false);
        Directory.Move(staging, cache);
        return executable;
    }

    private static string SourceHash(string repository, IReadOnlyList<string> sourceDirectories)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = sourceDirectories
            .SelectMany(directory => Directory.EnumerateFiles(Path.Combine(repository, directory), "*", SearchOption.AllDirectories))
            .Where(file => !file.Contains("/bin/", StringComparison.Ordinal) && !file.Contains("/obj/", StringComparison.Ordinal))
            .Append(Path.Combine(repository, "Directory.Build.props"))
            .Append(Path.Combine(repository, "Directory.Packages.props"))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(repository, file)));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    private static async Task<FileStream> LockAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 1200)
            {
                await Task.Delay(500).ConfigureAwait(false);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Caisson.slnx")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"no Caisson.slnx above {AppContext.BaseDirectory}");
    }
}
