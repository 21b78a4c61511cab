using Caisson.Testing.Images;
using Caisson.Testing.Registry;

// caisson-testkit push REGISTRY_HOST[:PORT]  — pushes the test images as demo/busybox:latest and demo/multilayer:latest
// caisson-testkit save-docker FILE          — writes demo/busybox:latest as a docker-save tarball
const string Usage = """
    Usage:
      caisson-testkit push HOST:PORT     push demo/busybox:latest and demo/multilayer:latest (plain HTTP)
      caisson-testkit save-docker FILE   write demo/busybox:latest as a `docker save` tarball
      caisson-testkit push-large HOST:PORT REPO:TAG TOTAL_MB LAYERS
                                         push a benchmark image: LAYERS gzip layers, TOTAL_MB uncompressed
      caisson-testkit run-pod SOCKET IMAGE
                                         run a one-container pod (a web server on port 8080) through CRI
      caisson-testkit remove-pods SOCKET  stop and remove every pod (and its containers)
      caisson-testkit push-critest HOST:PORT [NONEWPRIVS_BINARY]
                                         push stand-ins for the images critest v1.26 uses (for scripts/critest)
    """;

if (args.Length == 5 && args[0] == "push-large")
{
    var image = LargeImage.Build(int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture));
    using var client = new HttpClient { BaseAddress = new Uri($"http://{args[1]}/"), Timeout = TimeSpan.FromMinutes(10) };
    await new RegistryPusher(client).PushAsync(image, args[2]);
    var compressed = image.Layers.Sum(l => l.Descriptor.Size);
    var uncompressed = image.Layers.Sum(l => (long)l.UncompressedTar.Length);
    Console.WriteLine($"pushed {args[1]}/{args[2]}: {image.Layers.Count} layers, {compressed / 1e6:F1} MB compressed, {uncompressed / 1e6:F1} MB uncompressed");
    return 0;
}

if (args.Length == 3 && args[0] == "run-pod")
    return await DemoPod.RunAsync(args[1], args[2]);
if (args.Length is 2 or 3 && args[0] == "push-critest")
{
    await CritestImages.PushAsync(args[1], args.Length == 3 ? args[2] : null);
    return 0;
}

if (args.Length == 2 && args[0] == "remove-pods")
    return await DemoPod.RemoveAllAsync(args[1]);

if (args.Length != 2)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

switch (args[0])
{
    case "push":
        var baseUri = new Uri($"http://{args[1]}/");
        using (var client = new HttpClient { BaseAddress = baseUri })
        {
            var pusher = new RegistryPusher(client);
            await pusher.PushAsync(TestImages.Busybox(), "demo/busybox:latest");
            await pusher.PushAsync(TestImages.MultiLayer(), "demo/multilayer:latest");
        }

        Console.WriteLine($"pushed {args[1]}/demo/busybox:latest and {args[1]}/demo/multilayer:latest");
        return 0;
    case "save-docker":
        await using (var file = File.Create(args[1]))
            DockerArchiveWriter.Write(file, TestImages.Busybox(), "demo/busybox:latest");
        Console.WriteLine($"wrote {args[1]}");
        return 0;
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}
