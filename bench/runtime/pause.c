/* The benchmark's pod sandbox image for containerd (Kubernetes' pause is not reachable offline): holds the
 * pod's namespaces, reaps orphans, exits on SIGINT/SIGTERM. Built static by run.sh. */
#include <signal.h>
#include <stddef.h>
#include <sys/wait.h>
#include <unistd.h>

static void leave(int signal_number)
{
    (void)signal_number;
    _exit(0);
}

static void reap(int signal_number)
{
    (void)signal_number;
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
}

int main(void)
{
    struct sigaction on_exit_signal = {.sa_handler = leave};
    struct sigaction on_child = {.sa_handler = reap, .sa_flags = SA_NOCLDSTOP | SA_RESTART};
    if (sigaction(SIGINT, &on_exit_signal, NULL) != 0 || sigaction(SIGTERM, &on_exit_signal, NULL) != 0 ||
        sigaction(SIGCHLD, &on_child, NULL) != 0)
        return 1;
    for (;;)
        pause();
}
