using Caisson.Testing.Images;
using Caisson.Testing.Registry;

namespace Caisson.Bench.Cri;

/// <summary>The images the benchmark runs, built in code (there is no public registry offline).</summary>
internal static class BenchImages
{
    public const string Busybox = "bench/busybox:v1";

    public const string Pause = "bench/pause:v1";

    public static async Task<int> PushAsync(string registry, string pauseBinary, string rootfsTar)
    {
        var pauseFile = new FileInfo(pauseBinary);
        if (!pauseFile.Exists)
            throw new ArgumentException($"pause binary {pauseBinary} not found");

        var busybox = TestImages.Busybox();
        var pause = new ImageBuilder()
            .WithConfig(c => c with { Entrypoint = ["/pause"] })
            .AddLayer(LayerCompressionKind.Gzip, layer => layer
                .File("/pause", pauseFile, UnixMode.Executable)
                .Directory("/dev")
                .Directory("/etc")
                .Directory("/proc", UnixMode.Octal(0555))
                .Directory("/sys", UnixMode.Octal(0555)), "static pause")
            .Build();

        using var client = new HttpClient { BaseAddress = new Uri($"http://{registry}/") };
        var pusher = new RegistryPusher(client);
        await pusher.PushAsync(busybox, Busybox);
        await pusher.PushAsync(pause, Pause);
        await File.WriteAllBytesAsync(rootfsTar, busybox.Layers.Single().UncompressedTar);
        Console.WriteLine($"pushed {registry}/{Busybox} and {registry}/{Pause}; wrote {rootfsTar}");
        return 0;
    }
}
