using System.Diagnostics;
using Caisson.Testing.Images;
using Caisson.Testing.Registry;

/// <summary>
/// Stand-ins for the images critest v1.26 pulls (registry.k8s.io/e2e-test-images/*, gcr.io/k8s-staging-cri-tools/*),
/// built from the host's static busybox so critest runs offline against a local registry that caissond uses as the
/// mirror of both registries. They behave as critest expects: the same users, groups and ports as the upstream
/// Dockerfiles (cri-tools images/), and an "nginx" that is a shell script in front of busybox httpd so that
/// `pidof nginx` and /var/run/nginx.pid work. The upstream test-image-digest is pinned by digest and cannot be rebuilt.
/// </summary>
internal static class CritestImages
{
    private const string Staging = "k8s-staging-cri-tools/";
    private const string E2e = "e2e-test-images/";

    private const string Passwd =
        "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\n" +
        "sys:x:3:3:sys:/dev:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\n" +
        "operator:x:37:37:Operator:/var:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n";

    private const string Group =
        "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nwheel:x:10:root\nwww-data:x:33:\n" +
        "users:x:100:\nnogroup:x:65534:\n";

    private const string NginxScript = """
        #!/bin/sh
        # Stand-in for nginx: busybox httpd, a pid file, and a process named nginx (this script) whose command
        # line says "master process" as nginx's does (critest looks for it in /proc/1/cmdline).
        mkdir -p /var/run
        echo $$ > /var/run/nginx.pid
        trap 'kill $child 2>/dev/null; exit 0' TERM INT QUIT
        httpd -f -p "${NGINX_PORT:-80}" -h /usr/share/nginx/html &
        child=$!
        wait $child
        """;

    /// <param name="noNewPrivsBinary">A static binary that prints "Effective uid: N"; it goes in setuid root.</param>
    private const string PgrepScript = """
        #!/bin/sh
        # pgrep stand-in: the pids of processes whose name contains $1; exit 1 when there are none.
        found=1
        for dir in /proc/[0-9]*; do
          name=$(cat "$dir/comm" 2>/dev/null) || continue
          case "$name" in pgrep) ;; *"$1"*) echo "${dir#/proc/}"; found=0 ;; esac
        done
        exit $found

        """;

    public static async Task PushAsync(string registryHost, string? noNewPrivsBinary)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://{registryHost}/"), Timeout = TimeSpan.FromMinutes(5) };
        var pusher = new RegistryPusher(client);
        var applets = ListApplets();
        var busybox = Build(applets, l => { }, c => c with { Cmd = ["sh"] });
        await pusher.PushAsync(busybox, E2e + "busybox:1.29-2");
        await pusher.PushAsync(Nginx(applets, 80), E2e + "nginx:1.14-2");
        await pusher.PushAsync(Nginx(applets, 12003), Staging + "hostnet-nginx-amd64:latest");
        // Apache's image logs its command line at start; critest looks for it in the container log.
        await pusher.PushAsync(Build(applets, l => l.Directory("/usr/local").Directory("/usr/local/apache2").Directory("/usr/local/apache2/htdocs")
                .TextFile("/usr/local/apache2/htdocs/index.html", "<html><body><h1>It works!</h1></body></html>\n"),
            c => c with { Cmd = ["sh", "-c", "echo \"AH00094: Command line: 'httpd -D FOREGROUND'\" >&2; exec httpd -f -p 80 -h /usr/local/apache2/htdocs"] }),
            E2e + "httpd:2.4.39-4");

        foreach (var n in new[] { 1, 2, 3 })
            await pusher.PushAsync(Build(applets, l => l.TextFile($"/test-image-{n}", $"{n}\n"), c => c with { Cmd = ["sh"] }), Staging + $"test-image-{n}:latest");
        var tagged = Build(applets, l => l.TextFile("/test-image", "tags\n"), c => c with { Cmd = ["sh"] });
        foreach (var tag in new[] { "test-image-tags:1", "test-image-tags:2", "test-image-tags:3", "test-image-latest:latest", "test-image-tag:test", "test-image-tag:all", "test-image-digest:latest" })
            await pusher.PushAsync(tagged, Staging + tag);

        var users = new Dictionary<string, string>
        {
            ["test-image-user-uid"] = "1002",
            ["test-image-user-username"] = "www-data",
            ["test-image-user-uid-group"] = "1003:1004",
            ["test-image-user-username-group"] = "www-data:1004",
        };
        foreach (var (name, user) in users)
            await pusher.PushAsync(Build(applets, l => { }, c => c with { Cmd = ["sh"], User = user }), Staging + name + ":latest");

        var predefined = Build(applets, l => l.Directory("/home/default-user", uid: 1000, gid: 1000), c => c with { Cmd = ["sh"], User = "1000" },
            passwd: "default-user:x:1000:1000:Linux User,,,:/home/default-user:/bin/sh\n",
            group: "default-user:x:1000:\ngroup-defined-in-image:x:50000:default-user\n");
        await pusher.PushAsync(predefined, Staging + "test-image-predefined-group:latest");
        if (noNewPrivsBinary is not null)
        {
            var nnp = Build(applets, l => l.Directory("/usr/local").Directory("/usr/local/bin")
                .File("/usr/local/bin/nnp", new FileInfo(noNewPrivsBinary), UnixMode.Octal(04755)), c => c with { Entrypoint = ["/usr/local/bin/nnp"] });
            await pusher.PushAsync(nnp, E2e + "nonewprivs:1.3");
        }

        Console.WriteLine($"pushed the critest images to {registryHost} ({applets.Count} busybox applets)");
    }

    private static BuiltImage Nginx(IReadOnlyList<string> applets, int port) => Build(applets, l => l
            .Directory("/usr/share").Directory("/usr/share/nginx").Directory("/usr/share/nginx/html")
            .TextFile("/usr/share/nginx/html/index.html", "<html><body><h1>Welcome to nginx!</h1></body></html>\n")
            .TextFile("/usr/sbin/nginx", NginxScript + "\n", UnixMode.Executable),
        c => c with { Cmd = ["/usr/sbin/nginx", "master process"], Env = [.. c.Env ?? [], $"NGINX_PORT={port}"], StopSignal = "SIGQUIT" });

    private static BuiltImage Build(
        IReadOnlyList<string> applets, Action<LayerBuilder> extra, Func<Caisson.Core.Oci.ContainerDefaults, Caisson.Core.Oci.ContainerDefaults> config,
        string passwd = "", string group = "")
    {
        var busybox = new FileInfo("/bin/busybox");
        return new ImageBuilder()
            .WithConfig(c => config(c with { Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] }))
            .AddLayer(LayerCompressionKind.Gzip, layer =>
            {
                foreach (var directory in new[] { "/bin", "/sbin", "/usr", "/usr/bin", "/usr/sbin", "/dev", "/etc", "/home", "/var", "/var/run", "/var/www" })
                    layer.Directory(directory);
                layer.Directory("/proc", UnixMode.Octal(0555)).Directory("/sys", UnixMode.Octal(0555))
                    .Directory("/tmp", UnixMode.Octal(1777)).Directory("/root", UnixMode.Octal(0700))
                    .File("/bin/busybox", busybox, UnixMode.Executable)
                    .TextFile("/etc/passwd", Passwd + passwd).TextFile("/etc/group", Group + group);
                // Hard links, as in the real busybox image: masking /bin/ls (critest does) must not mask busybox itself.
                foreach (var applet in applets)
                    layer.Hardlink(applet, "/bin/busybox");
                // Debian's static busybox has no pgrep or ipcs applets; critest calls both.
                if (!applets.Contains("/usr/bin/pgrep"))
                    layer.TextFile("/usr/bin/pgrep", PgrepScript, UnixMode.Executable);
                if (!applets.Contains("/usr/bin/ipcs"))
                    layer.TextFile("/usr/bin/ipcs", "#!/bin/sh\n# ipcs stand-in: the kernel's System V IPC tables.\ncat /proc/sysvipc/shm /proc/sysvipc/sem /proc/sysvipc/msg\n", UnixMode.Executable);
                extra(layer);
            }, "critest stand-in from the host's busybox")
            .Build();
    }

    /// <summary>Every applet's install path (`busybox --list-full`, e.g. usr/bin/wget), except busybox itself.</summary>
    private static List<string> ListApplets()
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/busybox", "--list-full") { RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("cannot run /bin/busybox");
        var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        process.WaitForExit();
        return lines.Where(l => l != "bin/busybox").Select(l => "/" + l).Distinct(StringComparer.Ordinal).ToList();
    }
}
