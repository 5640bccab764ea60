# Sourced: free_port prints a free TCP port on 127.0.0.1.
free_port() {
  "${PHP:-/usr/bin/php8.2}" -n -r '$s = stream_socket_server("tcp://127.0.0.1:0"); echo substr(strrchr(stream_socket_get_name($s, false), ":"), 1);'
}
