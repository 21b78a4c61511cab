using System.Security.Cryptography;
using System.Text;
using Caisson.Testing.Processes;

namespace Caisson.Tests.Shim;

/// <summary>
/// The NativeAOT caisson-shim the tests run, published once per source version into a cache keyed by a hash
/// of the shim's sources, so `dotnet test` works on a fresh clone and reruns cost nothing.
/// </summary>
internal static class PublishedShim
{
    private static readonly Lazy<Task<string>> Path = new(PublishAsync);

    public static Task<string> GetPathAsync() => Path.Value;

    private static async Task<string> PublishAsync()
    {
        var repository = FindRepositoryRoot();
        var project = System.IO.Path.Combine(repository, "src", "Caisson.Shim");
        var cache = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "caisson-shim-cache", SourceHash(repository, project));
        var executable = System.IO.Path.Combine(cache, "caisson-shim");
        if (File.Exists(executable))
            return executable;

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(cache)!);
        // Another test run (another worktree's) may publish the same sources: one at a time.
        using var publishLock = await LockAsync(cache + ".lock");
        if (File.Exists(executable))
            return executable;
        var staging = cache + ".staging-" + Environment.ProcessId;
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        await ProcessRunner.RunCheckedAsync(dotnet, ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", staging, "-nologo"]);
        Directory.Move(staging, cache);
        return executable;
    }

    private static string SourceHash(string repository, string project)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = Directory.EnumerateFiles(project, "*", SearchOption.AllDirectories)
            .Where(file => !file.Contains("/bin/", StringComparison.Ordinal) && !file.Contains("/obj/", StringComparison.Ordinal))
            .Append(System.IO.Path.Combine(repository, "Directory.Build.props"))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(System.IO.Path.GetRelativePath(repository, file)));
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
            catch (IOException) when (attempt < 600)
            {
                await Task.Delay(500);
            }
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Caisson.slnx")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"no Caisson.slnx above {AppContext.BaseDirectory}");
    }
}
