#pragma once
// The project's own CPU implementations of the torchvision operators that scripted detection
// models call (torchvision::nms, torchvision::roi_align), registered with the dispatcher under
// torchvision's 0.14 schemas so that such models load with torch::jit::load without Python or
// torchvision's C++ library. No torch types here.

namespace mpq {

/// Does nothing at run time. The registration is a static initializer in torchvisionops.cpp,
/// which sits in the static library mpqmodel: a linker only pulls an object file out of a static
/// library when something references a symbol in it, so without a call to this function the
/// operators would silently not be registered (and models would fail with "Unknown builtin op").
/// Model::load calls it; so must any other entry point that loads TorchScript detection models.
void ensureTorchvisionOps();

} // namespace mpq
