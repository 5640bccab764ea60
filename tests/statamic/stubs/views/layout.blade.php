{{-- TEST STAND-IN of statamic::layout: the two sections a CP page fills. --}}
<!doctype html>
<title>@yield('title')</title>
<main>@yield('content')</main>
