using Caisson.Testing.Images;
using Caisson.Testing.Registry;

// caisson-testkit push REGISTRY_HOST[:PORT]  — pushes the test images as demo/busybox:latest and demo/multilayer:latest
// caisson-testkit save-docker FILE          — writes demo/busybox:latest as a docker-save tarball
const string Usage = """
    Usage:
      caisson-testkit push HOST:PORT     push demo/busybox:latest and demo/multilayer:latest (plain HTTP)
      caisson-testkit save-docker FILE   write demo/busybox:latest as a `docker save` tarball
    """;

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
